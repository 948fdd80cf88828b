"""Reads of classified records are logged: one ``read`` entry per record and request, under the
record's label, written after the request commits; unclassified and PUBLIC reads are not, and a
refused read (404) leaves nothing."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client

from comity.core.audit_verify import verify
from comity.core.labels import label_from_marking
from comity.core.models import AuditEntry, User
from comity.core.selectors import audit_entries_visible
from comity.core.testing.factories import make_user
from comity.registry.models import CountryNote, State
from comity.registry.services import country_note_create

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def _note(marking: str, title: str = "<script>alert(1)</script>") -> CountryNote:
    author = make_user("NLD", "SECRET", roles=("editor",))
    return country_note_create(
        acting_user=author,
        state=State.objects.get(iso3="EST"),
        title=title,
        body="b",
        label=label_from_marking(marking),
    )


def _reads(note: CountryNote) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="read", content_type__model="countrynote", object_id=str(note.pk)))


def _get(user: User, url: str, capture: Capture) -> int:
    client = Client()
    client.force_login(user)
    with capture(execute=True):
        return client.get(url).status_code


def test_a_classified_read_is_logged_once_per_request_under_the_records_label(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    note = _note("NATO SECRET REL TO NLD")
    reader = make_user("NLD", "SECRET", username="reads-nld")
    assert _get(reader, f"/registry/notes/{note.pk}/", django_capture_on_commit_callbacks) == 200
    [entry] = _reads(note)
    assert (entry.user, entry.label_id, entry.before, entry.after) == (reader, note.label_id, None, None)
    assert _get(reader, f"/registry/notes/{note.pk}/", django_capture_on_commit_callbacks) == 200
    assert len(_reads(note)) == 2
    assert verify()["ok"] is True
    # Reads are for the auditors of the reader's nation, and only where they may read the note.
    visible = {
        name: audit_entries_visible(user).filter(pk=entry.pk).exists()
        for name, user in {
            "reader": reader,
            "auditor": make_user("NLD", "SECRET", username="reads-aud", roles=("auditor",)),
            "uncleared auditor": make_user("NLD", "RESTRICTED", username="reads-aud-r", roles=("auditor",)),
            "auditor of another nation": make_user("FIN", "SECRET", username="reads-aud-f", roles=("auditor",)),
            "organisation auditor": make_user("NLD", "SECRET", username="reads-aud-n", roles=("auditor:NATO",)),
        }.items()
    }
    assert visible == {
        "reader": False,
        "auditor": True,
        "uncleared auditor": False,
        "auditor of another nation": False,
        "organisation auditor": True,
    }


@pytest.mark.parametrize("marking", ["PUBLIC", "NATO UNCLASSIFIED"])
def test_unclassified_reads_are_not_logged(marking: str, django_capture_on_commit_callbacks: Capture) -> None:
    note = _note(marking)
    reader = make_user("NLD", "SECRET", username="reads-plain")
    assert _get(reader, f"/registry/notes/{note.pk}/", django_capture_on_commit_callbacks) == 200
    assert _reads(note) == []


def test_a_refused_read_leaves_no_entry(django_capture_on_commit_callbacks: Capture) -> None:
    note = _note("NATO SECRET REL TO NLD")
    for outsider in (make_user("FIN", "SECRET", username="reads-other"), make_user("NLD", "RESTRICTED")):
        assert _get(outsider, f"/registry/notes/{note.pk}/", django_capture_on_commit_callbacks) == 404
    assert _reads(note) == []


def test_a_write_is_logged_as_the_write_not_as_a_read(django_capture_on_commit_callbacks: Capture) -> None:
    """Services fetch the record they change ``select_for_update``; that fetch is no read."""
    from comity.registry.services import country_note_update

    note = _note("NATO SECRET REL TO NLD")
    with django_capture_on_commit_callbacks(execute=True):
        country_note_update(acting_user=note.author, note=note, title="changed")
    assert _reads(note) == []


def test_an_api_detail_read_is_logged_and_a_list_or_a_write_is_not(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    note = _note("NATO SECRET REL TO NLD")
    reader = make_user("NLD", "SECRET", username="reads-api")
    client = Client()
    client.force_login(reader)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(f"/api/registry/notes/{note.pk}/").status_code == 200
        assert client.get("/api/registry/notes/").status_code == 200
    [entry] = _reads(note)
    assert entry.user == reader
    outsider = Client()
    outsider.force_login(make_user("FIN", "SECRET", username="reads-api-fin"))
    with django_capture_on_commit_callbacks(execute=True):
        assert outsider.get(f"/api/registry/notes/{note.pk}/").status_code == 404
    assert len(_reads(note)) == 1


def test_reads_are_not_changes_on_the_desk(django_capture_on_commit_callbacks: Capture) -> None:
    from comity.core.selectors import changes_to_owned_records

    note = _note("NATO SECRET REL TO NLD")
    keeper = make_user("NLD", "SECRET", username="reads-keeper", roles=("editor", "auditor"))
    reader = make_user("NLD", "SECRET", username="reads-desk")
    assert _get(reader, f"/registry/notes/{note.pk}/", django_capture_on_commit_callbacks) == 200
    assert audit_entries_visible(keeper).filter(action="read", object_id=str(note.pk)).exists()
    assert not changes_to_owned_records(keeper).filter(action="read").exists()
    assert changes_to_owned_records(keeper).filter(object_id=str(note.pk)).exists()
