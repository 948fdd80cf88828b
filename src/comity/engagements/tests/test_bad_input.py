"""Bad input to the engagement API and pages is a 400 that names the field, never a 500, and
dates at the edge of Python's range (0001-01-01, 9999-12-31) break no page or export."""

from __future__ import annotations

import pytest
from django.test import Client

from comity.core.models import ConfidentialityLabel
from comity.engagements.models import Engagement
from comity.engagements.tests.helpers import create, logged_in, make_exercise

pytestmark = pytest.mark.django_db

TOO_BIG = 2**63


@pytest.fixture
def editor() -> Client:
    return logged_in("NLD", "bad-input-editor")


def errors(response) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == 400, (response.status_code, response.content[:300])
    return response.json()


def test_label_json_with_a_bad_created_time_is_refused(editor: Client) -> None:
    label = {"policy": "NATO", "classification": "RESTRICTED", "categories": [], "created": "x"}
    assert "label" in errors(create(editor, "exercises", "bad-created", label=label))  # type: ignore[arg-type]
    label["created"] = 5  # type: ignore[assignment]
    assert "label" in errors(create(editor, "meetings", "bad-created", label=label))  # type: ignore[arg-type]
    assert not Engagement.objects.filter(key="bad-created").exists()


@pytest.mark.parametrize(
    ("field", "body"),
    [
        ("personnel", {"personnel": TOO_BIG}),
        ("battle_tanks", {"battle_tanks": TOO_BIG}),
        ("participant_input", {"participant_input": [{"iso3": "GEO", "role": "host", "personnel": TOO_BIG}]}),
        ("personnel", {"personnel": -1}),
    ],
)
def test_integers_beyond_the_database_range_are_refused(editor: Client, field: str, body: dict) -> None:
    assert field in errors(create(editor, "exercises", "too-big", **body))
    assert create(editor, "exercises", "big-enough", personnel=2**31 - 1).status_code == 201
    assert (
        editor.patch("/api/engagements/exercises/big-enough/", body, content_type="application/json").status_code == 400
    )


def test_integers_beyond_the_range_on_kind_fields_and_steps(editor: Client) -> None:
    assert "seats" in errors(create(editor, "training", "too-many-seats", seats=TOO_BIG))


@pytest.mark.parametrize(
    "path",
    [
        "/api/engagements/engagements/",
        "/api/engagements/exercises/",
        "/api/engagements/activities/",
        "/api/core/audit/",
        "/api/registry/states/",
    ],
)
@pytest.mark.parametrize("params", [{"limit": "9" * 25}, {"offset": "9" * 25}, {"limit": "5", "offset": str(2**63)}])
def test_huge_limits_and_offsets_on_lists(editor: Client, path: str, params: dict[str, str]) -> None:
    response = editor.get(path, params)
    assert response.status_code == 400, (path, params, response.status_code)
    assert set(response.json()) <= {"limit", "offset"}


def test_limits_up_to_the_maximum_are_served(editor: Client) -> None:
    from comity.core.api.pagination import MAX_LIMIT

    assert editor.get("/api/registry/states/", {"limit": str(MAX_LIMIT), "offset": "0"}).status_code == 200
    assert "limit" in errors(editor.get("/api/registry/states/", {"limit": str(MAX_LIMIT + 1)}))
    assert "limit" in errors(editor.get("/api/registry/states/", {"limit": "many"}))


@pytest.mark.parametrize("path", ["/api/engagements/engagements/", "/api/engagements/exercises/"])
@pytest.mark.parametrize("year", ["-1", "1e5", "10000", "0", "2018.5", "²"])
def test_out_of_range_years_on_engagement_lists(editor: Client, path: str, year: str) -> None:
    assert "year" in errors(editor.get(path, {"year": year}))


def test_a_good_year_still_filters(editor: Client) -> None:
    assert editor.get("/api/engagements/engagements/", {"year": "2018"}).status_code == 200
    assert editor.get("/api/engagements/network/", {"year": "2018"}).status_code == 200


@pytest.mark.parametrize("year", ["²", "-1", "10000", "1e5", "0"])
def test_network_year_is_checked_on_the_api_and_the_page(editor: Client, year: str) -> None:
    assert "year" in errors(editor.get("/api/engagements/network/", {"year": year}))
    page = editor.get("/engagements/network/", {"year": year})
    assert page.status_code == 400
    assert b"year" in page.content.lower()


def test_network_kind_is_checked(editor: Client) -> None:
    assert "kind" in errors(editor.get("/api/engagements/network/", {"kind": "nonsense"}))


@pytest.mark.parametrize(
    "params",
    [{"from": "abc"}, {"from": "2020", "to": "2010"}, {"from": "0"}, {"to": "10000"}, {"from": "1", "to": "9999"}],
)
def test_timeline_refuses_bad_years_with_a_message(editor: Client, params: dict[str, str]) -> None:
    response = editor.get("/engagements/timeline/", params)
    assert response.status_code == 400
    assert b"errorlist" in response.content


@pytest.mark.parametrize(
    "params", [{"month": "13"}, {"month": "0"}, {"year": "10000"}, {"year": "abc"}, {"year": "1", "month": "1"}]
)
def test_calendar_refuses_bad_months_and_years_with_a_message(editor: Client, params: dict[str, str]) -> None:
    response = editor.get("/engagements/calendar/", params)
    assert response.status_code == 400
    assert b"errorlist" in response.content


@pytest.mark.parametrize("params", [{"year": "9998", "month": "12"}, {"year": "2", "month": "1"}, {}])
def test_calendar_edges_of_the_range_still_render(editor: Client, params: dict[str, str]) -> None:
    assert editor.get("/engagements/calendar/", params).status_code == 200


def test_timeline_still_renders_a_good_span(editor: Client) -> None:
    assert editor.get("/engagements/timeline/", {"from": "2010", "to": "2010"}).status_code == 200


def test_edge_dates_break_neither_the_ical_export_nor_the_vienna_page(editor: Client) -> None:
    make_exercise("last-day", start_date="9999-12-01", end_date="9999-12-31", personnel=20000)
    make_exercise("first-day", start_date="0001-01-01", end_date="0001-01-02", personnel=20000)
    assert Engagement.objects.get(key="last-day").label == ConfidentialityLabel.objects.get(marking="PUBLIC")
    reader = logged_in("DEU", "edge-reader", roles=())
    export = reader.get("/api/engagements/exercises/export/", {"export_format": "ics"})
    assert export.status_code == 200
    assert b"UID:last-day@comity" in export.content and b"UID:first-day@comity" in export.content
    page = reader.get("/engagements/vienna-document/")
    assert page.status_code == 200
    assert b"first-day" in page.content and b"last-day" in page.content
