"""``GET .../{key}/history/``: a record's own change log through the API, filtered like the record."""

from __future__ import annotations

import pytest

from comity.engagements.tests.helpers import create, logged_in

pytestmark = pytest.mark.django_db


def test_history_lists_the_records_own_entries_under_its_access() -> None:
    editor = logged_in("NLD", "hist-editor")
    assert create(editor, "exercises", "hist-ex", label="NATO RESTRICTED REL TO NLD").status_code == 201
    url = "/api/engagements/exercises/hist-ex/"
    assert editor.patch(url, {"title": "Renamed"}, content_type="application/json").status_code == 200
    body = editor.get(f"{url}history/").json()
    entries = body["results"] if isinstance(body, dict) else body
    assert [e["action"] for e in entries] == ["create", "update"]
    assert {e["object_type"] for e in entries} <= {"engagement", "exercise"}
    assert entries[1]["after"]["title"] == "Renamed"
    assert editor.get("/api/engagements/engagements/hist-ex/history/").status_code == 200
    outsider = logged_in("FIN", "hist-outsider")
    hidden = outsider.get(f"{url}history/")
    missing = outsider.get("/api/engagements/exercises/hist-none/history/")
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json()) == (404, missing.json())
