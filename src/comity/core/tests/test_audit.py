"""The change log: who, when, before and after, in the same transaction as the change."""

from __future__ import annotations

import pytest
from django.db import transaction

from comity.core.labels import label_from_marking
from comity.core.models import AuditEntry, User
from comity.core.services import user_create, user_token
from comity.core.testing.factories import make_user
from comity.registry.models import CountryNote, State
from comity.registry.services import country_note_create, country_note_delete, country_note_update

pytestmark = pytest.mark.django_db


def _note(author: User, marking: str, *, title: str = "T") -> CountryNote:
    """A note on Estonia written by ``author`` under ``marking``."""
    estonia, label = State.objects.get(iso3="EST"), label_from_marking(marking)
    return country_note_create(acting_user=author, state=estonia, title=title, body="b", label=label)


def test_create_update_delete_are_logged_with_before_and_after() -> None:
    author = make_user("NLD", "SECRET", roles=("editor",))
    label = label_from_marking("NATO RESTRICTED REL TO NLD")
    note = country_note_create(
        acting_user=author, state=State.objects.get(iso3="EST"), title="A", body="b", label=label
    )
    country_note_update(acting_user=author, note=note, title="B")
    note_id = note.pk
    country_note_delete(acting_user=author, note=note)
    entries = list(AuditEntry.objects.filter(object_id=str(note_id), content_type__model="countrynote").order_by("id"))
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert entries[0].before is None and entries[0].after["title"] == "A"
    assert entries[1].before["title"] == "A" and entries[1].after["title"] == "B"
    assert entries[2].after is None and entries[2].before["title"] == "B"
    assert all(e.user == author and e.label_id == label.pk for e in entries)


def test_a_failed_write_leaves_no_log_row() -> None:
    author = make_user("NLD", "SECRET", roles=("editor",))
    before = AuditEntry.objects.count()

    def write_then_fail() -> None:
        with transaction.atomic():
            country_note_create(
                acting_user=author,
                state=State.objects.get(iso3="EST"),
                title="A",
                body="b",
                label=label_from_marking("PUBLIC"),
            )
            raise RuntimeError("simulated failure after the write")

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert AuditEntry.objects.count() == before


def test_secrets_never_reach_the_log() -> None:
    user = user_create(acting_user=None, username="eve", nationality="NLD", password="a-very-long-password-1")
    token = user_token(acting_user=None, user=user)
    logged = " ".join(str(e.before) + str(e.after) + e.object_repr + e.object_id for e in AuditEntry.objects.all())
    assert token not in logged
    assert user.password not in logged


def test_log_entries_follow_the_records_label() -> None:
    author = make_user("NLD", "SECRET", roles=("editor",))
    outsider = make_user("AUT")
    _note(author, "NATO SECRET REL TO NLD", title="Secret")
    assert AuditEntry.objects.visible_to(author).filter(object_repr="Secret").exists()
    assert not AuditEntry.objects.visible_to(outsider).filter(object_repr="Secret").exists()


def test_lowering_a_label_keeps_the_old_values_under_the_old_label() -> None:
    author = make_user("NLD", "SECRET", roles=("editor",))
    restricted_reader = make_user("NLD", "RESTRICTED")
    note = _note(author, "NATO SECRET REL TO NLD", title="Secret title")
    country_note_update(
        acting_user=author, note=note, title="Cleared title", label=label_from_marking("NATO RESTRICTED REL TO NATO")
    )
    entry = AuditEntry.objects.get(object_id=str(note.pk), content_type__model="countrynote", action="update")
    assert entry.before["title"] == "Secret title"
    assert entry.label.marking == "NATO SECRET REL TO NLD"
    assert not AuditEntry.objects.visible_to(restricted_reader).filter(pk=entry.pk).exists()
    assert AuditEntry.objects.visible_to(author).filter(pk=entry.pk).exists()


def test_raising_releasability_meets_both_audiences() -> None:
    author = make_user("FIN", "SECRET", roles=("editor",))
    note = _note(author, "NATO RESTRICTED REL TO NATO", title="T")
    country_note_update(acting_user=author, note=note, label=label_from_marking("NATO SECRET REL TO FIN, SWE"))
    entry = AuditEntry.objects.get(object_id=str(note.pk), content_type__model="countrynote", action="update")
    # NATO on today's date holds FIN and SWE, so the entry is SECRET, released to both.
    assert entry.label.marking == "NATO SECRET REL TO FIN, SWE"


def test_nobody_labels_a_note_above_what_they_may_see() -> None:
    from django.core.exceptions import ValidationError

    author = make_user("NLD", "RESTRICTED", roles=("editor",))
    with pytest.raises(ValidationError, match="above what you may see"):
        _note(author, "NATO SECRET REL TO NLD", title="T")
    note = _note(author, "NATO RESTRICTED REL TO NLD", title="T")
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="above what you may see"):
        country_note_update(acting_user=author, note=note, label=label_from_marking("NATO SECRET REL TO NLD"))
    assert AuditEntry.objects.count() == before
