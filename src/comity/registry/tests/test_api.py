"""Registry API: reference data, time travel, labelled notes, schema, token auth, no N+1."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from comity.core.labels import label_from_marking
from comity.core.services import user_token
from comity.core.testing.factories import make_user
from comity.registry.models import State
from comity.registry.services import country_note_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> Client:
    token = user_token(acting_user=None, user=make_user("NLD", "SECRET", username="apiuser", roles=("editor",)))
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


def test_requires_authentication() -> None:
    assert Client().get("/api/registry/states/").status_code == 401


def test_reference_data_endpoints(api: Client) -> None:
    assert api.get("/api/registry/states/", {"q": "finland"}).json()["results"][0]["iso3"] == "FIN"
    assert api.get("/api/registry/states/FIN/").json()["cow_code"] == 375
    assert api.get("/api/registry/organisations/").json()["count"] == 2
    assert api.get("/api/registry/organisations/NATO/").json()["name"] == "North Atlantic Treaty Organization"
    assert api.get("/api/registry/frameworks/").json()["count"] == 4
    assert api.get("/api/registry/frameworks/PFP/").json()["organisation"] == "NATO"
    members = api.get("/api/registry/memberships/", {"organisation": "nato", "limit": 100}).json()
    assert members["count"] == 32
    membership_id = members["results"][0]["id"]
    assert api.get(f"/api/registry/memberships/{membership_id}/").status_code == 200
    spells = api.get("/api/registry/participations/", {"state": "MLT"}).json()["results"]
    assert [s["end_reason"] for s in spells] == ["withdrew", ""]
    assert api.get(f"/api/registry/participations/{spells[0]['id']}/").json()["end"] == "1996-10-27"


def test_a_cow_code_is_a_whole_number_and_empty_parameters_are_absent(api: Client) -> None:
    assert [s["iso3"] for s in api.get("/api/registry/states/", {"cow_code": 375}).json()["results"]] == ["FIN"]
    refused = api.get("/api/registry/states/", {"cow_code": "0.5"})
    assert refused.status_code == 400
    assert "cow_code" in refused.json()
    alliance = api.get("/api/registry/alliance/", {"organisation": "", "on": ""}).json()
    assert alliance["organisation"] == "NATO"
    assert len(alliance["states"]) >= 32


def test_alliance_time_travel(api: Client) -> None:
    body = api.get("/api/registry/alliance/", {"organisation": "NATO", "on": "2023-04-04"}).json()
    statuses = {s["iso3"]: s["status"] for s in body["states"]}
    assert sum(1 for s in statuses.values() if s == "member") == 31
    assert statuses["FIN"] == "member" and statuses["SWE"] == "PFP"
    assert api.get("/api/registry/alliance/", {"on": "yesterday"}).status_code == 400
    assert api.get("/api/registry/alliance/", {"organisation": "WARSAW"}).status_code == 404


def test_note_crud_through_the_api(api: Client) -> None:
    created = api.post(
        "/api/registry/notes/",
        {"state": "EST", "title": "API note", "body": "b", "label": "NATO RESTRICTED REL TO NATO"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    note = created.json()
    assert note["label"]["marking"] == "NATO RESTRICTED REL TO NATO"
    changed = api.patch(f"/api/registry/notes/{note['id']}/", {"title": "API note 2"}, content_type="application/json")
    assert changed.json()["title"] == "API note 2"
    bad = api.post(
        "/api/registry/notes/",
        {"state": "EST", "title": "x", "body": "b", "label": "NATO ULTRA"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "label" in bad.json()
    above = api.patch(
        f"/api/registry/notes/{note['id']}/", {"label": "COSMIC TOP SECRET"}, content_type="application/json"
    )
    assert above.status_code == 400 and "above what you may see" in str(above.json()["label"])
    assert api.get(f"/api/registry/notes/{note['id']}/").json()["label"]["marking"] == "NATO RESTRICTED REL TO NATO"
    assert api.delete(f"/api/registry/notes/{note['id']}/").status_code == 204
    assert api.get(f"/api/registry/notes/{note['id']}/").status_code == 404


def test_note_list_query_count_does_not_grow(api: Client) -> None:
    author = make_user("NLD", "SECRET", roles=("editor",))
    state = State.objects.get(iso3="EST")

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/registry/notes/").status_code == 200
        return len(queries)

    for i, marking in enumerate(["PUBLIC", "NATO RESTRICTED REL TO NATO"]):
        country_note_create(acting_user=author, state=state, title=f"q{i}", body="b", label=label_from_marking(marking))
    few = count_queries()
    for i, marking in enumerate(["NATO SECRET REL TO NLD", "NATO UNCLASSIFIED", "NATO CONFIDENTIAL"] * 3):
        country_note_create(acting_user=author, state=state, title=f"r{i}", body="b", label=label_from_marking(marking))
    assert count_queries() == few


def test_core_endpoints(api: Client) -> None:
    me = api.get("/api/core/me/").json()
    assert me["nationality"] == "NLD" and me["clearances"] == {"NATO": "SECRET"} and "NATO" in me["groups"]
    labels = api.get("/api/core/labels/").json()
    assert labels["count"] >= 1
    first = labels["results"][0]
    detail = api.get(f"/api/core/labels/{first['id']}/").json()
    assert detail["xml"].startswith("<?xml") and "ConfidentialityLabel" in detail["xml"]
    assert set(detail["display_markings"]) == {"en", "fr"}
    assert api.get("/api/core/audit/", {"object_type": "state", "limit": 1}).json()["count"] >= 252


def test_openapi_schema_and_docs(api: Client) -> None:
    schema = api.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/registry/alliance/" in schema.content
    assert api.get("/api/docs/").status_code == 200
