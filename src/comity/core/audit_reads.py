"""Reads of classified records join the change log: who read which record, and when.

``access_or_404``, the one door to a single record (``core.selectors``), calls ``record_read``
after it found a record the user may see. A record labelled above the lowest classification of
its policy (above NATO UNCLASSIFIED; PUBLIC never) gets a ``read`` entry, under the record's
label, so the entry is read by exactly those who may read the record.

The entries of one request are kept on the connection and written in one append after the
request's transaction commits (``transaction.on_commit``), in a short transaction of their own:
the chain head's lock is then held for one insert, not for the rest of the request, and a reader
never holds it while waiting for a record's row lock (which a writer might hold while waiting for
the head: a deadlock on PostgreSQL). A request that fails rolls back and logs no read; it also
delivered no record. Django raises an ``on_commit`` failure (not ``robust``), so a read that
could not be logged is answered with an error rather than the record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Min, Model, OuterRef, Subquery

from comity.core.access import PUBLIC_POLICY
from comity.core.models import AuditEntry, Classification, ConfidentialityLabel
from comity.core.models.audit import AuditAction

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from comity.core.models import User

#: Classification ids whose records are logged on read, and those that are not. Classifications
#: are the policies' own rows, loaded from the SPIFs and never changed, so each is looked up once
#: per process; one in neither set (a policy loaded since) is looked up again. (Labels are not
#: cached this way: a label row written by a transaction that rolled back may leave its id to
#: another label.)
_logged: set[int] = set()
_unlogged: set[int] = set()


def _refresh() -> None:
    lowest = (
        Classification.objects.filter(policy=OuterRef("policy")).order_by().values("policy").annotate(low=Min("rank"))
    )
    rows = Classification.objects.annotate(low=Subquery(lowest.values("low"))).values_list(
        "pk", "policy__name", "rank", "low"
    )
    for pk, policy, rank, low in rows:
        (_logged if policy != PUBLIC_POLICY and rank > low else _unlogged).add(pk)


def logs_reads(record: Model) -> bool:
    """Whether a read of ``record`` is logged: its label is above its policy's lowest level."""
    label_id = getattr(record, "label_id", None)
    if label_id is None:
        return False
    if "label" in record._state.fields_cache:
        classification_id = record.label.classification_id  # type: ignore[attr-defined]
    else:
        classification_id = ConfidentialityLabel.objects.values_list("classification_id", flat=True).get(pk=label_id)
    if classification_id not in _logged and classification_id not in _unlogged:
        _refresh()
    return classification_id in _logged


def record_read(user: User | AnonymousUser, record: Model) -> None:
    """Log that ``user`` read ``record`` (when its label calls for it), after the commit."""
    if not getattr(user, "is_authenticated", False) or not logs_reads(record):
        return
    entry = AuditEntry(
        user=user,
        username=user.get_username(),
        action=AuditAction.READ,
        content_type=ContentType.objects.get_for_model(record, for_concrete_model=True),
        object_id=str(record.pk),
        object_repr=str(record)[:255],
        before=None,
        after=None,
        label_id=record.label_id,  # type: ignore[attr-defined]
    )
    if not connection.in_atomic_block:  # autocommit (a command): nothing to wait for
        from comity.core.audit import audit_record

        audit_record(entry)
        return
    pending = _pending()
    if (entry.user_id, entry.content_type_id, entry.object_id) not in {
        (e.user_id, e.content_type_id, e.object_id) for e in pending
    }:
        pending.append(entry)


def _pending() -> list[AuditEntry]:
    """This transaction's reads still to be written; a fresh list (and its ``on_commit``) when the
    last one was written or discarded with a rolled-back transaction."""
    current: tuple[list[AuditEntry], Any] | None = getattr(connection, "_comity_reads", None)
    if current is not None and any(callback is current[1] for _sids, callback, _robust in connection.run_on_commit):
        return current[0]
    entries: list[AuditEntry] = []

    def write() -> None:
        from comity.core.audit import audit_record

        connection._comity_reads = None  # type: ignore[attr-defined]  # later reads start a new list
        with transaction.atomic():
            audit_record(*entries)

    connection._comity_reads = (entries, write)  # type: ignore[attr-defined]
    transaction.on_commit(write)
    return entries
