"""Bulk row inserts (COPY on PostgreSQL, executemany on SQLite) and the change log they carry."""

from __future__ import annotations

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction

from comity.core.audit import audit_create, audit_create_many, snapshot
from comity.core.bulk import insert_rows, reserve_ids
from comity.core.labels import label_from_marking
from comity.core.models import AuditEntry
from comity.core.testing.factories import make_user
from comity.registry.models import CountryNote, State

pytestmark = pytest.mark.django_db


def test_columns_not_given_take_their_defaults_and_rows_read_back() -> None:
    label = label_from_marking("PUBLIC")
    kind = ContentType.objects.get_for_model(State)
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    text = "tab\t, newline\n and backslash \\"  # what COPY's text format must escape
    # The chain's columns (its place and label) have no default; these rows sit outside the chain.
    rows = [
        (label.pk, "create", kind.pk, str(n), f"row {n}: {text}", json.dumps({"n": n, "text": text}), 10**12 + n, 1)
        for n in range(3)
    ]
    columns = ["label", "action", "content_type", "object_id", "object_repr", "after", "seq", "label_at_write"]
    insert_rows(AuditEntry, columns, rows)
    entries = list(AuditEntry.objects.filter(pk__gt=last).order_by("pk"))
    assert [(e.object_id, e.object_repr, e.after) for e in entries] == [
        (str(n), f"row {n}: {text}", {"n": n, "text": text}) for n in range(3)
    ]
    assert all(e.username == "" and e.user is None and e.before is None and e.time is not None for e in entries)


def test_a_violated_constraint_is_djangos_integrity_error_and_rolls_back() -> None:
    before = ContentType.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(ContentType, ["app_label", "model"], [("comity_test", "fresh"), ("core", "auditentry")])
    assert ContentType.objects.count() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ids are reserved from a PostgreSQL sequence")
def test_reserved_ids_are_new_and_increasing() -> None:
    ids = reserve_ids(ContentType, 3)
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert not ContentType.objects.filter(pk__in=ids).exists()


def test_audit_create_many_writes_what_audit_create_writes() -> None:
    author = make_user("NLD", "SECRET", username="note-author")
    label = label_from_marking("NATO RESTRICTED REL TO NLD")
    notes = [
        CountryNote.objects.create(state=State.objects.get(iso3=iso3), title=f"Note {iso3}", body="b", label=label)
        for iso3 in ("EST", "LVA")
    ]
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    audit_create_many(notes, acting_user=author)
    for note in notes:
        audit_create(note, acting_user=author)
    many, one_by_one = (
        [
            (
                e.user_id,
                e.username,
                e.action,
                e.content_type_id,
                e.object_id,
                e.object_repr,
                e.label_id,
                e.before,
                e.after,
            )
            for e in entries
        ]
        for entries in (
            AuditEntry.objects.filter(pk__gt=last).order_by("pk")[:2],
            AuditEntry.objects.filter(pk__gt=last).order_by("pk")[2:],
        )
    )
    assert many == one_by_one
    assert many[0][-1] == snapshot(notes[0]) and many[0][:3] == (author.pk, "note-author", "create")
