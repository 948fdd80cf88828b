"""The one door to a message's body: stored as plaintext for now, sealed later.

Every module that writes or reads a message body calls ``store_body`` / ``read_body`` (and
``matching_body`` to search), and none reads the ``body`` column itself, so switching the storage
to ``core.crypto``'s seal and unseal changes this file alone. The change log never holds the body
either (``comms.services`` leaves it out of its snapshots).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

if TYPE_CHECKING:
    from comity.comms.models import Message

#: The longest body accepted, in characters: a long signal, not a document store.
MAX_BODY_CHARS = 20_000


def store_body(message: Message, text: str) -> None:
    """Put ``text`` into ``message`` (unsaved: the service saves it with the rest)."""
    message.body = text


def read_body(message: Message) -> str:
    """The text of ``message``; callers must already have fetched it through the reader's access."""
    return message.body


def matching_body(text: str) -> Q:
    """A filter for messages whose body contains ``text`` (case-insensitive).

    Once bodies are sealed this cannot run in SQL; the search then has to go elsewhere, which is
    why it lives here rather than in the selectors.
    """
    return Q(body__icontains=text)
