"""Creating many engagements of one kind at once: the fast path of imports.

Each table is written in one pass, in the caller's transaction: the base rows, the kind's own rows
(Django's ``bulk_create`` refuses models with multi-table inheritance), participants, objective
links and one change-log row per record. Everything after the base rows goes through
``core.bulk.insert_rows`` (COPY on PostgreSQL, ``executemany`` on SQLite; its docstring says why).
The base rows' ids are needed by every other table: on PostgreSQL they are drawn from the
sequence first and the base rows copied with them; on SQLite ``bulk_create`` inserts the base
rows and returns their ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

from comity.core.audit import audit_create_many
from comity.core.bulk import BATCH, insert_rows, reserve_ids, uses_copy
from comity.engagements.kinds import kind_fields
from comity.engagements.models import Engagement, EngagementParticipant, Objective

if TYPE_CHECKING:
    from comity.core.models import User


@dataclass(frozen=True)
class NewRecord:
    key: str
    values: dict[str, Any]
    participants: set[tuple[int, str]]
    objectives: list[Objective]


def _inserted_bases(records: Sequence[NewRecord], model: type[Engagement]) -> list[tuple[int, datetime, datetime]]:
    """Each record's id and its ``created`` and ``updated`` times, inserting the base rows on SQLite."""
    if uses_copy():
        now = timezone.now()
        return [(pk, now, now) for pk in reserve_ids(Engagement, len(records))]
    own = set(kind_fields(model))
    saved = Engagement.objects.bulk_create(
        [Engagement(key=r.key, **{k: v for k, v in r.values.items() if k not in own}) for r in records],
        batch_size=BATCH,
    )
    return [(e.pk, e.created, e.updated) for e in saved]


def _instance(model: type[Engagement], record: NewRecord, pk: int, created: datetime, updated: datetime) -> Engagement:
    """The saved record in memory, built the way Django builds one read from the database."""
    fixed = {"id": pk, "engagement_ptr_id": pk, "key": record.key, "created": created, "updated": updated}
    values = record.values
    args = []
    for field in model._meta.concrete_fields:
        if field.attname in fixed:
            value = fixed[field.attname]
        elif field.name in values:
            value = values[field.name]
            value = value.pk if isinstance(value, models.Model) else value
        else:
            value = values.get(field.attname, field.get_default())
        args.append(value)
    return model(*args)


def _insert_table(table: type[Engagement], saved: Sequence[Engagement]) -> None:
    """Write ``table``'s own columns (the base's or the kind's) of records built in memory."""
    db = connections[DEFAULT_DB_ALIAS]
    fields = table._meta.local_concrete_fields
    prepare = [(field.attname, field.get_db_prep_save) for field in fields]
    insert_rows(
        table,
        [field.name for field in fields],
        ([prep(getattr(instance, attname), db) for attname, prep in prepare] for instance in saved),
    )


def bulk_create_engagements(
    *, model: type[Engagement], records: Sequence[NewRecord], acting_user: User | None
) -> list[Engagement]:
    """Create ``records`` (all new keys) of one kind; returns the saved instances."""
    if not records:
        return []
    saved = [
        _instance(model, record, *inserted)
        for record, inserted in zip(records, _inserted_bases(records, model), strict=True)
    ]
    if uses_copy():
        _insert_table(Engagement, saved)
    if model is not Engagement:
        _insert_table(model, saved)
    insert_rows(
        EngagementParticipant,
        ["engagement", "state", "role"],
        (
            (instance.pk, state, role)
            for instance, record in zip(saved, records, strict=True)
            for state, role in sorted(record.participants)
        ),
    )
    insert_rows(
        Engagement.objectives.through,
        ["engagement", "objective"],
        (
            (instance.pk, objective.pk)
            for instance, record in zip(saved, records, strict=True)
            for objective in record.objectives
        ),
    )
    audit_create_many(saved, acting_user=acting_user)
    return saved
