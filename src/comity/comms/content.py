"""The one door to a message's body: sealed at rest with ``core.crypto`` (AES-256-GCM under a
data key of its own, wrapped by the master key), opened only for a reader who fetched the message
through their access.

Every module that writes or reads a message body calls ``store_body`` / ``read_body`` (and
``with_body_containing`` to search), and none reads the ``body`` column itself. The sealed blob is
bound to its message (the AAD names the message's ``body_id``), so a blob copied onto another
message does not open; a body that does not open is shown as such, never as another text. Each
body is also bound to the message's label after STANAG 4778 (``core.crypto.binding``: Ed25519 over
the canonical label and the text's SHA-256, with the instance's key); pages and the API check it
and show a mismatch as tampered. The
change log never holds the body (``comms.services`` leaves it out of its snapshots), and an edit
shreds the old body's data key, so no copy of the old text can be opened again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from comity.core.crypto.binding import Binding, Verdict, bind, canonical_label, verify
from comity.core.crypto.envelope import seal, shred, unseal_many
from comity.core.crypto.errors import TamperedError
from comity.core.label_xml import to_element

if TYPE_CHECKING:
    from comity.comms.models import Message

logger = logging.getLogger(__name__)

#: The longest body accepted, in characters: a long signal, not a document store.
MAX_BODY_CHARS = 20_000
#: The most recent visible messages a body search opens (it cannot run in SQL on sealed text).
SEARCH_WINDOW = 5_000
#: What a reader sees of a body that does not open: changed in the database, or its key shredded.
TAMPERED_TEXT = "[This message's stored text does not open: it was changed or its key is gone.]"


def _aad(message: Message) -> bytes:
    return f"comity.comms.message:{message.body_id}".encode()


def store_body(message: Message, text: str) -> None:
    """Seal ``text`` into ``message`` and bind it to the message's label (unsaved: the service saves
    it with the rest); an edit's old body has its data key shredded in the same transaction."""
    old = bytes(message.body) if message.body else b""
    message.body = seal(text.encode("utf-8"), aad=_aad(message))
    bind_body(message, text)
    if old:
        shred(old)


def _canonical_label(message: Message) -> bytes:
    return canonical_label(to_element(message.label.to_spec()))


def bind_body(message: Message, text: str) -> None:
    """Sign the message's label and text together (STANAG 4778): a relabel binds again."""
    binding = bind(_canonical_label(message), text.encode("utf-8"), data_uri=f"urn:uuid:{message.body_id}")
    message.binding_key, message.binding_signature = binding.key_id, binding.signature


def binding_verdict(message: Message, text: str) -> Verdict:
    """``OK`` when the message's label and text are those its binding was signed over; else
    ``TAMPERED`` (a label or body changed in the database, or a binding of another key)."""
    label_xml = _canonical_label(message)
    binding = Binding(
        message.binding_key,
        hashlib.sha256(label_xml).digest(),
        hashlib.sha256(text.encode("utf-8")).digest(),
        bytes(message.binding_signature),
        f"urn:uuid:{message.body_id}",
    )
    return verify(binding, label_xml, text.encode("utf-8"))


def read_body(message: Message) -> str:
    """The text of ``message``; callers must already have fetched it through the reader's access."""
    return read_bodies([message])[message.pk]


def read_bodies(messages: Iterable[Message]) -> dict[int, str]:
    """The text of each message by id, opened together (one key query for a page of them)."""
    messages = list(messages)
    opened = unseal_many([(bytes(m.body), _aad(m)) for m in messages])
    texts = {}
    for message, text in zip(messages, opened, strict=True):
        if isinstance(text, TamperedError):
            logger.error("message %s: the sealed body does not open (%s)", message.pk, text)
            texts[message.pk] = TAMPERED_TEXT
        else:
            texts[message.pk] = text.decode("utf-8")
    return texts


def with_body_containing(messages: QuerySet[Message], text: str) -> QuerySet[Message]:
    """Those of ``messages`` (already the reader's) whose body contains ``text``, case-insensitive.

    Sealed text cannot be searched in SQL, so the newest ``SEARCH_WINDOW`` of them are opened here;
    an older message is found by its conversation's subject (docs/comms.md).
    """
    wanted = text.casefold()
    recent = list(messages.order_by("-created", "-id").only("pk", "body", "body_id")[:SEARCH_WINDOW])
    found = [pk for pk, body in read_bodies(recent).items() if wanted in body.casefold()]
    return messages.filter(pk__in=found)
