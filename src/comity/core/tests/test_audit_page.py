"""``/audit/``: who read and changed what, filtered by record, user, nation, action and period,
and by the entries' labels first (an entry the viewer may not read is absent, not named)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from comity.core.audit_reads import record_read
from comity.core.labels import label_from_marking
from comity.core.models import AuditEntry, User
from comity.core.testing.factories import make_user
from comity.registry.models import CountryNote, State
from comity.registry.services import country_note_create, country_note_update

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('audit')</script>"


def _page(user: User, **query: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/audit/", query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def notes(django_capture_on_commit_callbacks: Any) -> dict[str, CountryNote]:
    nld = make_user("NLD", "SECRET", username="page-nld-editor", roles=("editor",))
    fin = make_user("FIN", "SECRET", username="page-fin-editor", roles=("editor",))
    estonia = State.objects.get(iso3="EST")
    made = {
        "nld": country_note_create(
            acting_user=nld,
            state=estonia,
            title=f"nld {HOSTILE}",
            body="b",
            label=label_from_marking("NATO SECRET REL TO NLD"),
        ),
        "fin": country_note_create(
            acting_user=fin,
            state=estonia,
            title="fin-only note",
            body="b",
            label=label_from_marking("NATO SECRET REL TO FIN"),
        ),
        "shared": country_note_create(
            acting_user=fin,
            state=estonia,
            title="shared note",
            body="b",
            label=label_from_marking("NATO SECRET REL TO FIN, NLD"),
        ),
    }
    country_note_update(acting_user=nld, note=made["nld"], title="nld second title")
    reader = make_user("NLD", "SECRET", username="page-nld-reader")
    with django_capture_on_commit_callbacks(execute=True):  # the read is written after the commit
        record_read(reader, made["nld"])
    return made


def test_an_auditor_sees_who_read_and_changed_what_they_may_read(notes: dict[str, CountryNote]) -> None:
    auditor = make_user("NLD", "SECRET", username="page-auditor", roles=("auditor",))
    page = _page(auditor, type="countrynote", object_id=str(notes["nld"].pk))
    assert "page-nld-reader" in page and "Read" in page and "page-nld-editor" in page
    assert HOSTILE not in page and "&lt;script&gt;" in page
    # The FIN note's entries are absent: not listed, not counted, not named.
    page = _page(auditor, type="countrynote", object_id=str(notes["fin"].pk))
    assert "fin-only note" not in page and "page-fin-editor" not in page and "No entries you may see." in page


def test_filters_narrow_by_user_nation_action_and_period(notes: dict[str, CountryNote]) -> None:
    auditor = make_user("NLD", "SECRET", username="page-nato-auditor", roles=("auditor:NATO",))
    ids = [str(note.pk) for note in notes.values()]
    assert AuditEntry.objects.filter(object_id__in=ids, content_type__model="countrynote").count() == 5
    assert "shared note" in _page(auditor, type="countrynote")
    assert "shared note" not in _page(auditor, nation="NLD", type="countrynote")
    assert "shared note" in _page(auditor, nation="fin", type="countrynote")
    assert "nld second title" not in _page(auditor, nation="FIN", type="countrynote")
    by_user = _page(auditor, username="page-nld-editor", type="countrynote")
    assert "nld second title" in by_user and "page-nld-reader" not in by_user
    reads = _page(auditor, action="read", type="countrynote")
    assert "page-nld-reader" in reads and "page-nld-editor" not in reads
    today = timezone.localdate()
    assert "page-nld-editor" in _page(auditor, since=str(today), until=str(today))
    assert "page-nld-editor" not in _page(auditor, until=str(today - timedelta(days=1)))


def test_a_viewer_without_the_role_sees_changes_but_no_reads(notes: dict[str, CountryNote]) -> None:
    viewer = make_user("NLD", "SECRET", username="page-viewer")
    page = _page(viewer, type="countrynote", object_id=str(notes["nld"].pk))
    assert "page-nld-editor" in page and "page-nld-reader" not in page


@pytest.mark.parametrize(
    "query",
    [
        {"nation": "NL"},
        {"since": "2026-02-30"},
        {"until": "yesterday"},
        {"action": "explode"},
        {"object_id": "9" * 200},
        {"type": HOSTILE},
        {"page": "-1"},
        {"since": "9999-12-31", "until": "0001-01-01"},
    ],
)
def test_what_anyone_types_gives_a_page(query: dict[str, str]) -> None:
    page = _page(make_user("NLD", "SECRET"), **query)
    assert HOSTILE not in page
