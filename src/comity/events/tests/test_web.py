"""The event API and pages: series, events behind a point, alerts, tension; label visibility
(ICEWS is stored under NATO SECRET, seen by the cleared user only) and bad parameters (400)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from comity.core.testing.factories import make_user
from comity.events.tests.test_cli import GOLDEN_HEADER

pytestmark = pytest.mark.django_db

COLUMNS = GOLDEN_HEADER.split(",")


@pytest.fixture
def cleared(web_store: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(make_user("NLD", "SECRET", username="cleared"))
    return client


@pytest.fixture
def uncleared(web_store: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(make_user("NLD", username="uncleared"))
    return client


def series(client: Client, **params: str) -> list[dict[str, Any]]:
    response = client.get("/api/events/series/", params)
    assert response.status_code == 200, response.content
    return response.json()["rows"]


def test_series_has_the_cli_columns_and_groups(uncleared: Client) -> None:
    rows = series(uncleared, source="nato", target="RUS", freq="month", **{"from": "2012-01-01", "to": "2012-06-30"})
    assert [list(row) for row in rows] == [COLUMNS] * 6
    assert [row["period"] for row in rows] == [f"2012-{m:02d}" for m in range(1, 7)]
    assert {(row["source"], row["target"]) for row in rows} == {("NATO", "RUS")}
    usa = series(uncleared, source="USA", target="RUS", freq="month", **{"from": "2012-01-01", "to": "2012-06-30"})
    assert all(n["events"] >= u["events"] for n, u in zip(rows, usa, strict=True))  # the USA is one ally
    root = series(uncleared, source="NATO", target="RUS", freq="year", root_only="true")
    everything = series(uncleared, source="NATO", target="RUS", freq="year")
    assert sum(r["events"] for r in root) < sum(r["events"] for r in everything)


def test_label_visibility_in_series_events_and_tension(cleared: Client, uncleared: Client) -> None:
    seen = series(cleared, source="PRK", target="USA", freq="month")
    hidden = series(uncleared, source="PRK", target="USA", freq="month")
    assert "2018-06" in [r["period"] for r in seen]
    assert "2018-06" not in [r["period"] for r in hidden]

    params = {"source": "PRK", "target": "USA", "period": "2018-06"}
    listed = cleared.get("/api/events/events/", params).json()
    count = next(r["events"] for r in seen if r["period"] == "2018-06")
    assert listed["count"] == count >= 20
    assert {e["origin_format"] for e in listed["results"]} == {"icews"}
    assert {e["label"] for e in listed["results"]} == {"NATO SECRET"}
    assert uncleared.get("/api/events/events/", params).json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
        "period": "2018-06",
        "from": "2018-06-01",
        "to": "2018-06-30",
    }

    tension_seen = cleared.get("/api/events/tension/", {"period": "2018-06"}).json()["countries"]
    assert {"PRK", "USA"} <= {c["country"] for c in tension_seen}
    prk = next(c for c in tension_seen if c["country"] == "PRK")
    assert prk["iso_numeric"] == "408" and prk["name"]
    assert cleared.get("/api/events/tension/", {"period": "2018-06", "by": "location"}).status_code == 200
    assert uncleared.get("/api/events/tension/", {"period": "2018-06"}).json()["countries"] == []


def test_events_behind_a_point_are_paginated(uncleared: Client) -> None:
    point = next(r for r in series(uncleared, source="USA", target="RUS", freq="month") if r["period"] == "2012-02")
    first = uncleared.get("/api/events/events/", {"source": "USA", "target": "RUS", "period": "2012-02", "limit": 10})
    body = first.json()
    assert body["count"] == point["events"] > 10 and len(body["results"]) == 10
    assert body["next"] and "offset=10" in body["next"]
    assert all(e["date"].startswith("2012-02") and e["source_country"] == "USA" for e in body["results"])
    rest = uncleared.get(body["next"]).json()["results"]
    assert not {e["event_id"] for e in rest} & {e["event_id"] for e in body["results"]}
    week = uncleared.get("/api/events/events/", {"source": "USA", "target": "RUS", "period": "2012-W05"}).json()
    assert all("2012-01-30" <= e["date"] <= "2012-02-05" for e in week["results"])


def test_alerts_api(uncleared: Client) -> None:
    body = uncleared.get(
        "/api/events/alerts/", {"freq": "week", "dyad": ["NATO:RUS", "RUS:NATO"], "window": 4, "limit": 3}
    ).json()
    assert len(body["alerts"]) == 3 and body["window"] == 4
    assert [a["z"] for a in body["alerts"]] == sorted((a["z"] for a in body["alerts"]), reverse=True)
    assert uncleared.get("/api/events/alerts/").status_code == 200


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("series", {"source": "NATO", "target": "RUS", "freq": "fortnight"}, "freq"),
        ("series", {"source": "NATO!", "target": "RUS", "freq": "month"}, "source"),
        ("series", {"source": "NATO", "freq": "month"}, "target"),
        ("series", {"source": "NATO", "target": "RUS", "freq": "month", "from": "2012-13-01"}, "from"),
        (
            "series",
            {"source": "NATO", "target": "RUS", "freq": "month", "from": "2013-01-01", "to": "2012-01-01"},
            "non_field_errors",
        ),
        ("series", {"source": "NATO", "target": "RUS", "freq": "month", "root_only": "maybe"}, "root_only"),
        ("events", {"source": "USA", "target": "RUS", "period": "2012-14"}, "period"),
        ("events", {"source": "USA", "target": "RUS"}, "period"),
        ("alerts", {"window": "1"}, "window"),
        ("alerts", {"dyad": "NATO-RUS"}, "dyad"),
        ("alerts", {"metric": "mean"}, "metric"),
        ("tension", {"period": "last month"}, "period"),
        ("tension", {}, "period"),
    ],
)
def test_bad_parameters_are_400_with_a_message(uncleared: Client, url: str, params: dict, field: str) -> None:
    response = uncleared.get(f"/api/events/{url}/", params)
    assert response.status_code == 400
    assert response.json()[field]


def test_api_needs_authentication(web_store: dict[str, Any]) -> None:
    assert Client().get("/api/events/series/", {"source": "USA", "target": "RUS", "freq": "month"}).status_code == 401


def test_pages_render_and_badge_the_visible_labels(cleared: Client, uncleared: Client) -> None:
    for url in ("/events/", "/events/alliance/", "/events/tension/", "/events/alerts/"):
        seen, hidden = cleared.get(url), uncleared.get(url)
        assert seen.status_code == hidden.status_code == 200, url
        assert "NATO SECRET" in seen.content.decode() and "NATO SECRET" not in hidden.content.decode()
        banner = 'label-banner--{}" role="note" aria-label="Page classification" title="{}[^"]*">{}'
        assert re.search(banner.format("rank-4", "NATO SECRET", "NATO SECRET"), seen.content.decode())
        assert re.search(banner.format("public", "PUBLIC", "PUBLIC"), hidden.content.decode())
    page = uncleared.get("/events/", {"source": "usa", "target": "geo", "freq": "week"}).content.decode()
    assert 'data-dyads="USA:GEO"' in page and 'data-freq="week"' in page
    assert "vendor/echarts/echarts.common.min.js" in page and "<script>" not in page
    alliance = uncleared.get("/events/alliance/", {"group": "NATO", "state": "RUS", "freq": "month"}).content.decode()
    assert 'data-dyads="NATO:RUS,RUS:NATO"' in alliance
    tension = cleared.get("/events/tension/").content.decode()
    assert 'data-period="2019-10"' in tension  # the latest month with events


def test_pages_show_bad_parameters(uncleared: Client) -> None:
    response = uncleared.get("/events/", {"source": "NATO", "target": "R1", "freq": "month"})
    assert response.status_code == 400 and "neither a three-letter country code" in response.content.decode()
    assert uncleared.get("/events/alliance/", {"group": "RUS", "state": "NATO"}).status_code == 400
    assert uncleared.get("/events/tension/", {"period": "2012-99"}).status_code == 400
    assert uncleared.get("/events/alerts/", {"window": "0"}).status_code == 400


def test_alert_page_lists_alerts_with_links_to_the_explorer(uncleared: Client) -> None:
    page = uncleared.get("/events/alerts/", {"freq": "week", "dyad": "NATO:RUS, RUS:NATO", "window": "4"})
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        html.count("/events/?source=NATO&amp;target=RUS&amp;freq=week")
        + html.count("/events/?source=RUS&amp;target=NATO&amp;freq=week")
        == len(page.context["alerts"])
        > 0
    )


def test_an_empty_store_answers_empty(db: None, settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path
    client = Client()
    client.force_login(make_user("NLD", "SECRET", username="early"))
    assert series(client, source="NATO", target="RUS", freq="month") == []
    assert client.get("/api/events/events/", {"source": "USA", "target": "RUS", "period": "2012"}).json()["count"] == 0
    assert client.get("/api/events/tension/", {"period": "2012"}).json()["countries"] == []
    assert client.get("/api/events/alerts/").json()["alerts"] == []
    for url in ("/events/", "/events/alliance/", "/events/tension/", "/events/alerts/"):
        response = client.get(url)
        assert response.status_code == 200 and "No event data you may see" in response.content.decode()
    assert "This field is required" not in client.get("/events/tension/").content.decode()


def test_tension_tells_region_codes_from_states(uncleared: Client) -> None:
    countries = uncleared.get("/api/events/tension/", {"period": "2012-01"}).json()["countries"]
    regions = {c["country"] for c in countries if not c["is_state"]}
    assert {"AFR", "EUR"} <= regions  # CAMEO region codes in the GDELT sample
    assert all(c["iso_numeric"] is None for c in countries if not c["is_state"])
    assert {"USA", "RUS"} <= {c["country"] for c in countries if c["is_state"]}


def test_the_dyad_explorer_says_when_a_code_is_not_a_country(uncleared: Client) -> None:
    page = uncleared.get("/events/", {"source": "AFR", "target": "USA", "freq": "year"}).content.decode()
    assert '<p class="small" id="not-states"><code>AFR</code>: not a country.' in page
    assert "gap, not a zero bar" in page
    for source in ("NATO", "RUS"):
        page = uncleared.get("/events/", {"source": source, "target": "USA", "freq": "year"}).content.decode()
        assert 'id="not-states"' not in page
