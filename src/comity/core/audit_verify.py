"""Checking the change log: the chain entry by entry, the tree against every signed head.

``verify`` reads the entries in ``seq`` order and stops at the first thing wrong: a missing or
out-of-place ``seq``, a ``prev_hash`` that is not the previous entry's hash, an ``entry_hash``
that its fields do not give, a label lowered below the one the entry was written under, a Merkle
root that differs from a signed head of that size, or a log shorter (or longer) than its head
row and its heads say. ``verify_rows`` is the loop itself, over plain tuples, so the benchmark
can time it apart from the database (``bench/audit_bench.py``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection

from comity.core import merkle
from comity.core.audit_chain import (
    FORMAT,
    GENESIS,
    canonical_bytes,
    canonical_json,
    content_type_names,
    hash_hex,
    json_string,
    time_text,
)
from comity.core.audit_heads import heads_from_export, signature_ok
from comity.core.audit_keys import signing_key
from comity.core.models import AuditEntry, AuditHead, ConfidentialityLabel, TreeHead

#: (id, seq, time text, username, action, content type id, object id, object repr, before text,
#: after text, label id written under, label id now, prev_hash, entry_hash)
Row = tuple[int, int, str, str, str, int, str, str, str | None, str | None, int, int, str, str]


@dataclass(frozen=True)
class Head:
    """A tree head to hold the log to, and where it came from (for the report)."""

    tree_size: int
    root_hash: str
    source: str


class TamperedError(Exception):
    """The first thing wrong: the entry (id and seq; id ``None`` when it is missing) and what."""

    def __init__(self, entry_id: int | None, seq: int, problem: str) -> None:
        super().__init__(problem)
        self.report = {"id": entry_id, "seq": seq, "problem": problem}


def _sqlite_time(raw: str) -> str:
    """SQLite's stored UTC text (``YYYY-MM-DD HH:MM:SS[.ffffff]``) as ``time_text`` writes it."""
    fraction = raw[20:26] if len(raw) > 19 else ""
    return f"{raw[:10]}T{raw[11:19]}.{fraction:0<6}Z"


def stored_rows(upto: int | None = None) -> Iterator[Row]:
    """The entries up to ``seq`` ``upto`` (all for ``None``) in ``seq`` order, as the database holds
    them (on SQLite the JSON columns as stored text, which is the canonical text the hash covers;
    on PostgreSQL re-encoded)."""
    limit = 2**63 - 1 if upto is None else upto
    columns = (
        "id, seq, time, username, action, content_type_id, object_id, object_repr, before, after, "
        "label_at_write, label_id, prev_hash, entry_hash"
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # The time as stored text: Django's converter would parse it into a datetime per row.
            raw_columns = columns.replace(" time,", " CAST(time AS TEXT),")
            sql = f"SELECT {raw_columns} FROM core_auditentry WHERE seq <= %s ORDER BY seq"  # noqa: S608 - constant
            cursor.execute(sql, [limit])
            while batch := cursor.fetchmany(5000):
                for row in batch:
                    yield (*row[:2], _sqlite_time(row[2]), *row[3:])  # type: ignore[misc]
        return
    fields = [name.strip() for name in columns.split(",")]
    entries = AuditEntry.objects.filter(seq__lte=limit).order_by("seq").values_list(*fields)
    for values in entries.iterator(chunk_size=5000):
        before, after = values[8], values[9]
        yield (
            *values[:2],
            time_text(values[2]),
            *values[3:8],
            None if before is None else canonical_json(before),
            None if after is None else canonical_json(after),
            *values[10:],
        )  # type: ignore[misc]


class _Labels:
    """Whether an entry's label now is at least the one it was written under (cached per pair)."""

    def __init__(self) -> None:
        self.known: dict[tuple[int, int], bool] = {}

    def covers(self, now: int, written: int) -> bool:
        if (now, written) not in self.known:
            from comity.core.derivation import uncovered_by

            labels = {
                label.pk: label
                for label in ConfidentialityLabel.objects.filter(pk__in=[now, written]).prefetch_related(
                    "categories__values"
                )
            }
            self.known[(now, written)] = (
                now in labels and written in labels and uncovered_by(labels[now], [labels[written]]) is None
            )
        return self.known[(now, written)]


def _canonical_hash(row: Row, names: dict[int, str]) -> str:
    """The entry hash its fields give with before/after re-encoded canonically (for JSON text not
    stored in canonical form: entries from before the chain, and PostgreSQL's ``jsonb``)."""
    before, after = row[8], row[9]
    try:
        before = "null" if before is None else canonical_json(json.loads(before))
        after = "null" if after is None else canonical_json(json.loads(after))
    except ValueError:
        return ""
    return hash_hex(
        canonical_bytes(
            seq=row[1],
            time=row[2],
            username=row[3],
            action=row[4],
            content_type=names.get(row[5], f"?{row[5]}"),
            object_id=row[6],
            object_repr=row[7],
            before=before,
            after=after,
            label_id=row[10],
            prev_hash=row[12],
        )
    )


def verify_rows(
    rows: Iterable[Row], names: dict[int, str], heads: list[Head], labels: _Labels | None = None
) -> tuple[int, str]:
    """Check ``rows`` (in ``seq`` order) against each other and ``heads``; returns the count and
    the last hash, or raises ``TamperedError`` at the first fault.

    The loop is the cost of ``comity audit verify``, so it is written flat: the canonical bytes
    are one f-string (what ``canonical_bytes`` builds, the leaf prefix included), the Merkle
    frontier is inlined (``core.merkle.Frontier``), and the tree is built only as far as the
    last head it is held to. ``core/tests/test_audit_chain.py`` holds it to ``canonical_bytes``.
    """
    labels = labels or _Labels()
    pending = sorted((head for head in heads if head.tree_size > 0), key=lambda head: head.tree_size)
    tree_until = pending[-1].tree_size if pending else 0
    next_head = pending[0].tree_size if pending else -1
    quoted = {pk: json_string(name) for pk, name in names.items()}
    quote, sha256, prefix = json_string, hashlib.sha256, f'\x00["{FORMAT}",'
    subtrees: list[bytes] = []
    position, prev = 0, GENESIS
    for row in rows:
        entry_id, seq, time, user, action, ct, object_id, text, before, after, label, now, prev_hash, stored = row
        position += 1
        if seq != position:
            problem = f"entry seq {position} is missing or out of place (found seq {seq})"
            raise TamperedError(entry_id, position, problem)
        if prev_hash != prev:
            raise TamperedError(entry_id, seq, "prev_hash is not the hash of the entry before")
        digest = sha256(
            f'{prefix}{seq},"{time}",{quote(user)},{quote(action)},{quoted.get(ct, "?")},{quote(object_id)},'
            f'{quote(text)},{before or "null"},{after or "null"},{label},"{prev_hash}"]'.encode()
        ).digest()
        if digest.hex() != stored:
            if _canonical_hash(row, names) != stored:
                raise TamperedError(entry_id, seq, "entry_hash does not match the entry's fields")
            digest = bytes.fromhex(stored)
        if now != label and not labels.covers(now, label):
            raise TamperedError(entry_id, seq, f"label {now} is lower than label {label} it was written under")
        prev = stored
        if position <= tree_until:
            size, leaf = position - 1, digest
            while size & 1:
                leaf = sha256(b"\x01" + subtrees.pop() + leaf).digest()
                size >>= 1
            subtrees.append(leaf)
        while position == next_head:
            head = pending.pop(0)
            if merkle.Frontier(subtrees, position).root().hex() != head.root_hash:
                raise TamperedError(
                    entry_id,
                    seq,
                    f"the first {position} entries do not give the root of the {head.source} "
                    "(the log was rewritten at or before this entry)",
                )
            next_head = pending[0].tree_size if pending else -1
    if pending:
        head = pending[0]
        problem = f"the {head.source} covers {head.tree_size} entries; the log has {position}"
        raise TamperedError(None, position + 1, problem)
    return position, prev


def _heads(document: Any | None) -> list[Head]:
    """The heads stored in the database and those of an exported file; a head whose signature
    does not check is itself a fault."""
    public = signing_key().public_key()
    heads: list[Head] = []
    for head in TreeHead.objects.order_by("tree_size"):
        stored = {"tree_size": head.tree_size, "root_hash": head.root_hash, "timestamp": time_text(head.timestamp)}
        if not signature_ok(public, {**stored, "signature": head.signature}):
            raise TamperedError(
                None, head.tree_size, f"the stored tree head of size {head.tree_size} is not signed by the log's key"
            )
        heads.append(Head(head.tree_size, head.root_hash, f"stored tree head of size {head.tree_size}"))
    if document is not None:
        file_key, exported = heads_from_export(document)
        for index, head in enumerate(exported):
            if not signature_ok(file_key, head) or int(head["tree_size"]) < 1:
                raise TamperedError(None, 0, f"exported head #{index} is not signed by the exported key")
            size = int(head["tree_size"])
            heads.append(Head(size, str(head["root_hash"]), f"exported tree head of size {size} ({head['timestamp']})"))
    return heads


def _head() -> tuple[int, str]:
    return AuditHead.objects.filter(pk=1).values_list("seq", "entry_hash").first() or (0, GENESIS)


def verify(heads_document: Any | None = None) -> dict[str, Any]:
    """The report ``comity audit verify`` prints: ``entries``, ``ok`` and, when not, ``first_bad``.

    The log is checked as far as the chain head said when verification began, so writers may go
    on appending meanwhile: entries and tree heads beyond that point are checked against the head
    read again at the end (legitimate ones are below it then; entries put beyond it by hand, or a
    head row moved back under a signed tree head, are not).
    """
    size, head_hash = _head()
    try:
        heads = _heads(heads_document)
        within = [head for head in heads if head.tree_size <= size]
        count, last = verify_rows(stored_rows(size), content_type_names(), within)
        if count < size:
            raise TamperedError(None, count + 1, f"the chain head says {size} entries; the log has {count}")
        if head_hash != last:
            last_id = AuditEntry.objects.filter(seq=count).values_list("pk", flat=True).first()
            raise TamperedError(last_id, count, "the last entry's hash is not the one the chain head holds")
        _check_beyond(size, [head for head in heads if head.tree_size > size])
    except TamperedError as fault:
        return {"entries": size, "ok": False, "first_bad": fault.report}
    return {"entries": size, "ok": True, "heads_checked": len(within)}


def _check_beyond(size: int, later_heads: list[Head]) -> None:
    """Entries and heads past the size verified must lie below the chain head as it is now."""
    if not later_heads and not AuditEntry.objects.filter(seq__gt=size).exists():
        return
    now = _head()[0]
    outside = AuditEntry.objects.filter(seq__gt=now).order_by("seq").values_list("pk", "seq").first()
    if outside is not None:
        raise TamperedError(outside[0], outside[1], f"entries after the chain head ({now}) were added outside it")
    for head in later_heads:
        if head.tree_size > now:
            problem = f"the {head.source} covers {head.tree_size} entries; the chain head says {now}"
            raise TamperedError(None, now + 1, problem)
