"""Changing engagements of every kind through the API: PATCH, lifecycle moves and exports."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext

from comity.core.models import AuditEntry
from comity.core.testing.factories import make_user
from comity.engagements.api.kinds import ROUTES
from comity.engagements.models import Engagement
from comity.engagements.services import engagement_update
from comity.engagements.tests.helpers import create, logged_in, make_exercise

pytestmark = pytest.mark.django_db

#: One of each kind's own fields and a new value for it.
CHANGES = {
    "exercises": ("battle_tanks", 300),
    "agreements": ("agreement_status", "terminated"),
    "training": ("seats", 30),
    "meetings": ("decisions", "Changed decisions."),
    "attaches": ("host_state", "ARM"),
    "measures": ("measure", "inspection"),
}


@pytest.fixture
def client_nld() -> Client:
    return logged_in("NLD", "editor")


@pytest.fixture
def client_deu() -> Client:
    return logged_in("DEU", "editor-deu")


def patch(client: Client, prefix: str, key: str, body: dict[str, object]):  # type: ignore[no-untyped-def]
    return client.patch(f"/api/engagements/{prefix}/{key}/", body, content_type="application/json")


def updates(key: str) -> list[AuditEntry]:
    record = Engagement.objects.get(key=key)
    return list(AuditEntry.objects.filter(object_id=str(record.pk), action="update").order_by("pk"))


@pytest.mark.parametrize("prefix", list(ROUTES))
def test_patch_changes_the_record_and_logs_before_and_after(client_nld: Client, prefix: str) -> None:
    key = f"upd-{prefix}"
    assert create(client_nld, prefix, key).status_code == 201
    field, value = CHANGES[prefix]
    changed = patch(
        client_nld,
        prefix,
        key,
        {"title": "Changed title", field: value, "participant_input": [{"iso3": "ARM", "role": "participant"}]},
    )
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert (body["title"], body[field], body["key"]) == ("Changed title", value, key)
    assert [p["iso3"] for p in body["participants"]] == ["ARM"]
    assert body["objectives"] == ["partnerships"]  # not sent, so kept
    assert client_nld.get(f"/api/engagements/{prefix}/{key}/").json()["title"] == "Changed title"

    [entry] = updates(key)
    assert entry.username == "editor"
    assert (entry.before["title"], entry.after["title"]) == (f"Test {prefix}", "Changed title")
    assert (entry.before["participants"], entry.after["participants"]) == (["GEO:host:3"], ["ARM:participant"])
    assert "objectives" not in entry.after
    assert entry.label_id == Engagement.objects.get(key=key).label_id


def test_exercise_create_and_read_keep_the_exercise_fields(client_nld: Client) -> None:
    created = create(client_nld, "exercises", "upd-exercise-fields", start_date="2031-06-01")
    assert created.status_code == 201, created.content
    body = client_nld.get("/api/engagements/exercises/upd-exercise-fields/").json()
    for name in ("series", "domain", "scenario", "battle_tanks", "armoured_combat_vehicles", "artillery_pieces"):
        assert name in body
    assert (body["kind"], body["series"], body["lead"], body["status"]) == (
        "exercise",
        "Test series",
        "NLD",
        "proposed",
    )
    assert "participant_input" not in body
    assert "upd-exercise-fields" in client_nld.get("/engagements/exercises/upd-exercise-fields/").content.decode()


def test_patch_of_a_record_the_user_may_not_see_is_not_found(client_nld: Client, client_deu: Client) -> None:
    assert create(client_nld, "meetings", "upd-nld-only", label="NATO RESTRICTED REL TO NLD").status_code == 201
    forbidden = patch(client_deu, "meetings", "upd-nld-only", {"title": "Seen"})
    missing = patch(client_deu, "meetings", "upd-no-such-record", {"title": "Seen"})
    assert (forbidden.status_code, forbidden.json()) == (missing.status_code, missing.json())
    assert forbidden.status_code == 404
    assert Engagement.objects.get(key="upd-nld-only").title == "Test meetings"
    assert updates("upd-nld-only") == []

    deu_user = make_user("DEU", "SECRET")
    with pytest.raises(Http404):
        engagement_update(
            acting_user=deu_user, engagement=Engagement.objects.get(key="upd-nld-only"), values={"title": "x"}
        )


@pytest.mark.parametrize("label", ["COSMIC TOP SECRET", "NATO RESTRICTED REL TO DEU"])
def test_patch_to_a_label_the_user_may_not_assign_is_refused(client_nld: Client, label: str) -> None:
    assert create(client_nld, "training", "upd-label").status_code == 201
    before = Engagement.objects.get(key="upd-label")
    refused = patch(client_nld, "training", "upd-label", {"label": label, "title": "Should not stick"})
    assert refused.status_code == 400
    assert "above what you may see" in refused.json()["label"]
    after = Engagement.objects.get(key="upd-label")
    assert (after.label_id, after.title) == (before.label_id, before.title)
    assert updates("upd-label") == []
    lowered = patch(client_nld, "training", "upd-label", {"label": "PUBLIC"})
    assert lowered.json()["label"]["marking"] == "PUBLIC"


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"end_date": "2031-01-01"}, "end_date", "before it starts"),
        ({"start_date": "first of May"}, "start_date", "Date has wrong format"),
        ({"status": "bogus"}, "status", "not a valid choice"),
        ({"status": "completed"}, "status", "cannot become completed"),
        ({"key": "upd-renamed"}, "key", "cannot change"),
        ({"measure": "parade"}, "measure", "not a valid choice"),
        ({"lead": "XYZ"}, "lead", "neither an organisation nor a state"),
        ({"objectives": ["no-such-objective"]}, "objectives", "does not exist"),
        ({"participant_input": [{"iso3": "GEO"}, {"iso3": "GEO"}]}, "participant_input", "listed twice"),
    ],
)
def test_invalid_changes_are_refused_with_the_reason(
    client_nld: Client, body: dict[str, object], field: str, words: str
) -> None:
    assert create(client_nld, "measures", "upd-invalid").status_code == 201
    refused = patch(client_nld, "measures", "upd-invalid", {**body, "title": "Should not stick"})
    assert refused.status_code == 400, refused.content
    assert words in json.dumps(refused.json()[field])
    assert Engagement.objects.get(key="upd-invalid").title == "Test measures"
    assert updates("upd-invalid") == []


def test_create_refuses_a_record_that_ends_before_it_starts(client_nld: Client) -> None:
    refused = create(client_nld, "meetings", "upd-backwards", end_date="2031-01-01")
    assert refused.status_code == 400
    assert "before it starts" in refused.json()["end_date"]
    assert not Engagement.objects.filter(key="upd-backwards").exists()


def test_links_not_sent_are_kept_and_sent_ones_replaced(client_nld: Client) -> None:
    assert create(client_nld, "training", "upd-links").status_code == 201
    kept = patch(client_nld, "training", "upd-links", {"seats": 5}).json()
    assert ([p["iso3"] for p in kept["participants"]], kept["objectives"]) == (["GEO"], ["partnerships"])
    replaced = patch(
        client_nld, "training", "upd-links", {"participant_input": [{"iso3": "MDA"}], "objectives": []}
    ).json()
    assert [(p["iso3"], p["role"]) for p in replaced["participants"]] == [("MDA", "participant")]
    assert replaced["objectives"] == []
    first, second = updates("upd-links")
    assert (first.before["seats"], first.after["seats"]) == (12, 5) and "participants" not in first.after
    assert (second.before["objectives"], second.after["objectives"]) == (["partnerships"], [])


def test_status_may_change_by_an_allowed_move_and_put_and_delete_are_off(client_nld: Client) -> None:
    assert create(client_nld, "agreements", "upd-status").status_code == 201
    assert patch(client_nld, "agreements", "upd-status", {"status": "planned"}).json()["status"] == "planned"
    url = "/api/engagements/agreements/upd-status/"
    assert client_nld.put(url, {"title": "x"}, content_type="application/json").status_code == 405
    assert client_nld.delete(url).status_code == 405


def test_a_change_that_changes_nothing_writes_no_log_entry(client_nld: Client) -> None:
    assert create(client_nld, "meetings", "upd-same").status_code == 201
    same = patch(
        client_nld,
        "meetings",
        "upd-same",
        {"key": "upd-same", "title": "Test meetings", "objectives": ["partnerships"], "lead": "NLD"},
    )
    assert same.status_code == 200, same.content
    assert updates("upd-same") == []


@pytest.mark.parametrize("prefix", list(ROUTES))
def test_transition_and_export_on_every_kind(client_nld: Client, client_deu: Client, prefix: str) -> None:
    key = f"upd-move-{prefix}"
    assert create(client_nld, prefix, key).status_code == 201
    assert create(client_deu, prefix, f"{key}-deu", label="NATO RESTRICTED REL TO DEU").status_code == 201
    url = f"/api/engagements/{prefix}/{key}/transition/"
    moved = client_nld.post(url, {"to": "planned"}, content_type="application/json")
    assert moved.status_code == 200, moved.content
    assert moved.json()["status"] == "planned"
    refused = client_nld.post(url, {"to": "assessed"}, content_type="application/json")
    assert refused.status_code == 400 and "cannot become assessed" in refused.json()["to"]
    hidden = client_nld.post(f"/api/engagements/{prefix}/{key}-deu/transition/", {"to": "planned"})
    assert hidden.status_code == 404
    assert Engagement.objects.get(key=f"{key}-deu").status == "proposed"

    exported = client_nld.get(f"/api/engagements/{prefix}/export/", {"export_format": "csv", "q": "upd-move"})
    assert exported.status_code == 200
    assert exported["Content-Disposition"] == f'attachment; filename="{prefix}.csv"'
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert [(r["key"], r["status"]) for r in rows] == [(key, "planned")]


def test_export_formats_and_filters_on_a_kind(client_nld: Client, client_deu: Client) -> None:
    assert create(client_nld, "attaches", "upd-exp-a").status_code == 201
    assert (
        create(client_nld, "attaches", "upd-exp-b", start_date="2035-01-01", end_date="2035-12-31").status_code == 201
    )
    assert create(client_deu, "attaches", "upd-exp-deu", label="NATO RESTRICTED REL TO DEU").status_code == 201
    url = "/api/engagements/attaches/export/"
    as_json = json.loads(client_nld.get(url, {"export_format": "json"}).content)
    keys = {row["key"] for row in as_json}
    assert {"upd-exp-a", "upd-exp-b"} <= keys and "upd-exp-deu" not in keys
    row = next(r for r in as_json if r["key"] == "upd-exp-a")
    assert (row["sending_state"], row["host_state"], row["embassy_state"]) == ("NLD", "GEO", "TUR")
    by_year = json.loads(client_nld.get(url, {"export_format": "json", "year": 2035}).content)
    assert [r["key"] for r in by_year] == ["upd-exp-b"]
    calendar = client_nld.get(url, {"export_format": "ics"})
    assert calendar["Content-Type"] == "text/calendar" and b"upd-exp-a@comity" in calendar.content
    assert b"upd-exp-deu" not in calendar.content
    assert client_nld.get(url, {"export_format": "xls"}).status_code == 400


@pytest.mark.parametrize("prefix", ["attaches", "measures"])
def test_kind_list_and_export_query_counts_are_fixed(client_nld: Client, prefix: str) -> None:
    make_exercise("upd-related", label="NATO RESTRICTED REL TO NATO")
    links = {"related_exercise": "upd-related"} if prefix == "measures" else {}

    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client_nld.get(path).status_code == 200
        return len(queries)

    list_url, export_url = f"/api/engagements/{prefix}/", f"/api/engagements/{prefix}/export/?export_format=csv"
    assert create(client_nld, prefix, f"upd-count-{prefix}-0", **links).status_code == 201
    few = (count(list_url), count(export_url))
    for i in range(1, 6):
        label = "PUBLIC" if i % 2 else "NATO UNCLASSIFIED"
        made = create(client_nld, prefix, f"upd-count-{prefix}-{i}", label=label, **links)
        assert made.status_code == 201, made.content
    assert (count(list_url), count(export_url)) == few
