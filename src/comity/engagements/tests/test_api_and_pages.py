"""Engagement API and pages: filters, lifecycle actions, exports, fixed query counts."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from comity.core.testing.factories import make_user
from comity.engagements.tests.helpers import make_exercise

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_nld() -> Client:
    client = Client()
    client.force_login(make_user("NLD", "SECRET", username="planner", roles=("editor",)))
    return client


@pytest.fixture
def exercises() -> None:
    make_exercise(
        "api-a",
        owner="NLD",
        title="Api A",
        start_date="2018-10-25",
        end_date="2018-11-23",
        lead="NATO",
        host="NOR",
        participants="USA;DEU",
        personnel=50000,
        domain="joint",
    )
    make_exercise(
        "api-b",
        owner="NLD",
        title="Api B",
        start_date="2022-03-14",
        end_date="2022-04-01",
        lead="NOR",
        participants="FIN",
        label="NATO RESTRICTED REL TO NATO",
        status="proposed",
    )
    make_exercise(
        "api-c",
        title="Api C",
        start_date="2030-05-01",
        end_date="2030-05-10",
        personnel=12000,
        label="NATO SECRET REL TO DEU",
    )


def test_lists_and_filters(client_nld: Client, exercises: None) -> None:
    keys = {e["key"] for e in client_nld.get("/api/engagements/exercises/").json()["results"]}
    assert {"api-a", "api-b"} <= keys and "api-c" not in keys
    by_nation = client_nld.get("/api/engagements/engagements/", {"nation": "fin", "q": "api-"}).json()["results"]
    assert [e["key"] for e in by_nation] == ["api-b"]
    by_year = client_nld.get("/api/engagements/engagements/", {"year": 2018, "q": "api"}).json()["results"]
    assert [e["key"] for e in by_year] == ["api-a"]
    assert client_nld.get("/api/engagements/engagements/api-a/").json()["lead"] == "NATO"
    assert client_nld.get("/api/engagements/exercises/api-c/").status_code == 404
    goals = client_nld.get("/api/engagements/objectives/").json()["results"]
    assert {"interoperability", "deterrence", "partnerships", "capacity-building"} <= {g["code"] for g in goals}
    assert client_nld.get("/api/engagements/objectives/deterrence/").json()["level"] == "goal"


def test_transition_through_the_api(client_nld: Client, exercises: None) -> None:
    url = "/api/engagements/exercises/api-b/transition/"
    assert client_nld.post(url, {"to": "planned"}, content_type="application/json").json()["status"] == "planned"
    refused = client_nld.post(url, {"to": "completed"}, content_type="application/json")
    assert refused.status_code == 400 and "cannot become completed" in refused.json()["to"]


def test_export_endpoint_respects_labels_and_filters(client_nld: Client, exercises: None) -> None:
    body = client_nld.get("/api/engagements/exercises/export/", {"export_format": "csv", "year": 2018}).content.decode()
    assert "api-a" in body and "api-b" not in body and "api-c" not in body
    assert client_nld.get("/api/engagements/exercises/export/", {"export_format": "xls"}).status_code == 400


def test_list_query_count_is_fixed(client_nld: Client, exercises: None) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client_nld.get("/api/engagements/exercises/").status_code == 200
        return len(queries)

    few = count()
    for i in range(6):
        make_exercise(f"more-{i}", participants="POL;LTU;LVA", label="NATO UNCLASSIFIED" if i % 2 else "PUBLIC")
    assert count() == few


def test_pages(client_nld: Client, exercises: None) -> None:
    listing = client_nld.get("/engagements/", {"nation": "NOR"}).content.decode()
    assert "Api A" in listing and "Api B" in listing and "Api C" not in listing
    timeline = client_nld.get("/engagements/timeline/", {"from": 2018, "to": 2022}).content.decode()
    assert "Api A" in timeline and "timeline-bar" in timeline
    month = client_nld.get("/engagements/calendar/", {"year": 2018, "month": 11}).content.decode()
    assert "Api A" in month
    vienna = client_nld.get("/engagements/vienna-document/").content.decode()
    assert "Api A" in vienna and "2018-09-13" in vienna and "Api C" not in vienna
    country = client_nld.get("/engagements/country/NOR/").content.decode()
    assert "Api A" in country
    assert re.search(r"2018: [1-9]", country)
    detail = client_nld.get("/engagements/exercises/api-a/").content.decode()
    # Completed, without an after-action report: the page offers to write one, not to assess.
    assert "Norway" in detail and 'id="write-report"' in detail and "assessed" not in detail
    assert client_nld.get("/engagements/exercises/api-c/").status_code == 404


def test_transition_page_action(client_nld: Client, exercises: None) -> None:
    client_nld.post("/engagements/records/api-b/transition/", {"to": "planned"})
    page = client_nld.get("/engagements/exercises/api-b/").content.decode()
    assert '<dd id="status">Planned</dd>' in page
    client_nld.post("/engagements/records/api-b/transition/", {"to": "assessed"})
    assert "cannot become assessed" in client_nld.get("/engagements/exercises/api-b/").content.decode()


def test_co_participation_network(client_nld: Client) -> None:
    make_exercise("net-a", start_date="2031-05-01", participants="DEU;NOR;USA")
    make_exercise("net-b", start_date="2031-06-01", participants="DEU;NOR")
    make_exercise("net-c", start_date="2031-07-01", participants="FIN;SWE", label="NATO SECRET REL TO FIN, SWE")
    graph = client_nld.get("/api/engagements/network/", {"year": 2031}).json()
    weights = {(e["source"], e["target"]): e["weight"] for e in graph["edges"]}
    assert weights == {("DEU", "NOR"): 2, ("DEU", "USA"): 1, ("NOR", "USA"): 1}
    assert {n["id"]: n["engagements"] for n in graph["nodes"]} == {"DEU": 2, "NOR": 2, "USA": 1}
    assert client_nld.get("/api/engagements/network/", {"year": "soon"}).status_code == 400
    assert "cytoscape.min.js" in client_nld.get("/engagements/network/", {"year": 2031}).content.decode()
    assert "leaflet.js" in client_nld.get("/engagements/map/").content.decode()
