"""The hash chain of the change log: each entry's place, its predecessor's hash and its own.

An entry's hash is ``SHA-256(0x00 || canonical entry)`` (hex), the RFC 9162 leaf hash of its
canonical serialisation (``canonical_bytes``), so the same value links the chain and is the leaf
of the Merkle tree (``core.merkle``). The serialisation is versioned (``FORMAT``): a JSON array of
the format name, ``seq``, the time (UTC, microseconds), the user name, the action, the content
type as ``app_label.model``, the object id and text, before and after (canonical JSON: sorted
keys, no whitespace), the label id written under and the previous entry's hash.

``append`` gives entries their place under a lock on the one ``AuditHead`` row, in the writer's
transaction, so concurrent writers queue there (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite
has one writer at a time, and a no-op ``UPDATE`` takes its write lock before the head is read).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from comity.core.models import AuditEntry, AuditHead

FORMAT = "comity.audit/1"
GENESIS = "0" * 64


def _normalised(value: Any) -> Any:
    """JSON values as every database gives them back: an integral float beyond 2**53 (which
    PostgreSQL's ``jsonb`` returns as an integer) written as the integer."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer() and abs(value) >= 2**53:
        return int(value)
    if isinstance(value, dict):
        return {key: _normalised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalised(item) for item in value]
    return value


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, ASCII: one text for one value, on every database."""
    from comity.core.models.audit import CanonicalJSONEncoder

    return json.dumps(_normalised(value), cls=CanonicalJSONEncoder, ensure_ascii=True, allow_nan=False)


json_string = json.encoder.encode_basestring_ascii  # type: ignore[attr-defined]


def time_text(moment: datetime) -> str:
    """The entry's time as hashed: UTC, ISO 8601, microseconds."""
    if moment.tzinfo is None:  # as the database gives it back without time zone support: UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_bytes(
    *,
    seq: int,
    time: str,
    username: str,
    action: str,
    content_type: str,
    object_id: str,
    object_repr: str,
    before: str,
    after: str,
    label_id: int,
    prev_hash: str,
) -> bytes:
    """The serialisation an entry's hash covers; ``before``/``after`` are canonical JSON text
    (``null`` for none). Equal to ``json.dumps`` of the list with compact separators."""
    return (
        f'["{FORMAT}",{seq},"{time}",{json_string(username)},{json_string(action)},{json_string(content_type)},'
        f'{json_string(object_id)},{json_string(object_repr)},{before},{after},{label_id},"{prev_hash}"]'
    ).encode("ascii")


def hash_hex(data: bytes) -> str:
    """The entry hash: the RFC 9162 leaf hash of ``data``, in hex."""
    return hashlib.sha256(b"\x00" + data).hexdigest()


def content_type_names() -> dict[int, str]:
    """``app_label.model`` of every content type by id (a few hundred rows, read once)."""
    return {pk: f"{app}.{model}" for pk, app, model in ContentType.objects.values_list("pk", "app_label", "model")}


def entry_bytes(entry: AuditEntry, content_type: str) -> bytes:
    """``canonical_bytes`` of a model instance."""
    return canonical_bytes(
        seq=entry.seq,
        time=time_text(entry.time),
        username=entry.username,
        action=entry.action,
        content_type=content_type,
        object_id=entry.object_id,
        object_repr=entry.object_repr,
        before="null" if entry.before is None else canonical_json(entry.before),
        after="null" if entry.after is None else canonical_json(entry.after),
        label_id=entry.label_at_write,
        prev_hash=entry.prev_hash,
    )


def locked_head() -> AuditHead:
    """The head row, locked until the caller's transaction ends (created when the table is empty,
    from the last entry if there is one, so a flushed test database starts a fresh chain)."""
    if connection.vendor == "sqlite":
        # SQLite ignores FOR UPDATE; a write takes the database's write lock before the read.
        AuditHead.objects.filter(pk=1).update(seq=F("seq"))
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        last = AuditEntry.objects.order_by("-seq").values_list("seq", "entry_hash").first()
        head = AuditHead.objects.create(pk=1, seq=last[0] if last else 0, entry_hash=last[1] if last else GENESIS)
    return head


def head_every() -> int:
    """Sign a tree head whenever the log passes a multiple of this many entries."""
    return max(1, int(settings.COMITY_AUDIT_HEAD_EVERY))


def append(entries: Sequence[AuditEntry]) -> None:
    """Give unsaved ``entries`` their place, time and hashes, then save them, in one transaction.

    The caller's transaction holds the head's lock until it commits, so the entries and the
    change they record commit together or not at all.
    """
    if not entries:
        return
    with transaction.atomic():
        head = locked_head()
        start = head.seq
        now = timezone.now()
        for entry in entries:
            head.seq += 1
            entry.seq = head.seq
            entry.time = entry.time or now
            entry.label_at_write = entry.label_id
            entry.prev_hash = head.entry_hash
            entry.entry_hash = hash_hex(entry_bytes(entry, _content_type_name(entry.content_type_id)))
            head.entry_hash = entry.entry_hash
        if len(entries) == 1:
            entries[0].save()
        else:
            AuditEntry.objects.bulk_create(entries)
        head.save(update_fields=["seq", "entry_hash"])
        _schedule_head(start, head.seq)


def append_rows(rows: Iterable[dict[str, Any]], insert: Callable[[Iterable[tuple[Any, ...]]], None]) -> None:
    """The bulk path (``core.audit.audit_create_many``): ``rows`` are dicts of database values
    (``before``/``after`` as JSON text); ``insert`` writes the tuples this yields, in order
    ``CHAINED_COLUMNS`` after the row's own values."""
    with transaction.atomic():
        head = locked_head()
        start = head.seq
        now = timezone.now()
        stored_now = AuditEntry._meta.get_field("time").get_db_prep_save(now, connection)  # as the ORM writes it

        def chained() -> Iterable[tuple[Any, ...]]:
            for row in rows:
                head.seq += 1
                before = "null" if row["before"] is None else canonical_json(json.loads(row["before"]))
                after = "null" if row["after"] is None else canonical_json(json.loads(row["after"]))
                digest = hash_hex(
                    canonical_bytes(
                        seq=head.seq,
                        time=time_text(now),
                        username=row["username"],
                        action=row["action"],
                        content_type=_content_type_name(row["content_type"]),
                        object_id=row["object_id"],
                        object_repr=row["object_repr"],
                        before=before,
                        after=after,
                        label_id=row["label"],
                        prev_hash=head.entry_hash,
                    )
                )
                yield (
                    *(row[name] for name in ROW_COLUMNS),
                    None if row["before"] is None else before,
                    None if row["after"] is None else after,
                    stored_now,
                    head.seq,
                    row["label"],
                    head.entry_hash,
                    digest,
                )
                head.entry_hash = digest

        insert(chained())
        head.save(update_fields=["seq", "entry_hash"])
        _schedule_head(start, head.seq)


#: The columns ``append_rows`` takes from each row as they are, then the ones it computes.
ROW_COLUMNS = ("label", "user", "username", "action", "content_type", "object_id", "object_repr")
CHAINED_COLUMNS = ("before", "after", "time", "seq", "label_at_write", "prev_hash", "entry_hash")


def _content_type_name(content_type_id: int) -> str:
    content_type = ContentType.objects.get_for_id(content_type_id)
    return f"{content_type.app_label}.{content_type.model}"


def _schedule_head(before: int, after: int) -> None:
    """After commit, sign a tree head when this append passed a multiple of ``head_every``."""
    every = head_every()
    if after // every > before // every:
        from comity.core.audit_heads import tree_head_sign

        transaction.on_commit(tree_head_sign, robust=True)
