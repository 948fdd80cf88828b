"""Creating many engagements of one kind at once: the fast path of imports.

Django's ``bulk_create`` refuses models with multi-table inheritance, so the base rows go through
``bulk_create`` (which returns their keys on PostgreSQL and SQLite 3.35+), and the kind's own
rows through one parameterised ``executemany`` on its child table. Participants, objective links
and change-log rows follow as bulk inserts, all in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, models

from comity.core.audit import audit_entry, snapshot
from comity.core.models import AuditEntry
from comity.core.models.audit import AuditAction
from comity.engagements.kinds import kind_fields
from comity.engagements.models import Engagement, EngagementParticipant, Objective

if TYPE_CHECKING:
    from comity.core.models import User

BATCH = 2000


@dataclass(frozen=True)
class NewRecord:
    key: str
    values: dict[str, Any]
    participants: set[tuple[int, str]]
    objectives: list[Objective]


def _split(values: dict[str, Any], own: set[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A record's values as (base table, the kind's own table)."""
    return {k: v for k, v in values.items() if k not in own}, {k: v for k, v in values.items() if k in own}


def _raw(own: dict[str, Any], field: Any) -> Any:
    if field.name not in own and field.attname not in own:
        return field.get_default()
    value = own.get(field.name, own.get(field.attname))
    return value.pk if isinstance(value, models.Model) else value


def _insert_children(model: type[Engagement], rows: Sequence[tuple[int, dict[str, Any]]]) -> None:
    """Insert the kind's own columns for base rows that already exist."""
    fields = [model._meta.get_field(name) for name in kind_fields(model)]
    parent = model._meta.get_field("engagement_ptr")
    columns = [parent.column, *(f.column for f in fields)]
    quote = connection.ops.quote_name
    # Identifiers come from model metadata and are quoted; every value is a parameter.
    table, names, slots = (
        quote(model._meta.db_table),
        ", ".join(quote(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    sql = f"INSERT INTO {table} ({names}) VALUES ({slots})"  # noqa: S608
    params = [[pk, *(f.get_db_prep_save(_raw(own, f), connection) for f in fields)] for pk, own in rows]
    with connection.cursor() as cursor:
        for start in range(0, len(params), BATCH):
            cursor.executemany(sql, params[start : start + BATCH])


def _instance(model: type[Engagement], pk: int, record: NewRecord) -> Engagement:
    """An in-memory copy of a row just inserted, for its change-log snapshot."""
    links = {"id": pk} if model is Engagement else {"id": pk, "engagement_ptr_id": pk}
    return model(key=record.key, **links, **record.values)


def bulk_create_engagements(
    *, model: type[Engagement], records: Sequence[NewRecord], acting_user: User | None
) -> list[Engagement]:
    """Create ``records`` (all new keys) of one kind; returns the saved instances."""
    if not records:
        return []
    own = set(kind_fields(model))
    split = [_split(r.values, own) for r in records]
    bases = Engagement.objects.bulk_create(
        [Engagement(key=r.key, **base) for r, (base, _) in zip(records, split, strict=True)], batch_size=BATCH
    )
    if model is not Engagement:
        _insert_children(model, [(b.pk, own) for b, (_, own) in zip(bases, split, strict=True)])
    EngagementParticipant.objects.bulk_create(
        (
            EngagementParticipant(engagement_id=base.pk, state_id=state, role=role)
            for base, record in zip(bases, records, strict=True)
            for state, role in record.participants
        ),
        batch_size=BATCH,
    )
    through = Engagement.objectives.through
    through.objects.bulk_create(
        (
            through(engagement_id=base.pk, objective_id=objective.pk)
            for base, record in zip(bases, records, strict=True)
            for objective in record.objectives
        ),
        batch_size=BATCH,
    )
    saved = [_instance(model, base.pk, record) for base, record in zip(bases, records, strict=True)]
    for instance, base in zip(saved, bases, strict=True):
        instance.created, instance.updated = base.created, base.updated
    AuditEntry.objects.bulk_create(
        (
            audit_entry(acting_user=acting_user, action=AuditAction.CREATE, instance=i, before=None, after=snapshot(i))
            for i in saved
        ),
        batch_size=BATCH,
    )
    return saved
