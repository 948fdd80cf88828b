"""The Allies' scorecard on the shipped figures: every rank with its range, Iceland named as not
ranked, the engagement indicator from the viewer's records, and bad input a 400."""

from __future__ import annotations

import pytest
from django.test import Client

from comity.assessment.scorecard_selectors import ally_values, scorecard_page
from comity.core.testing.factories import make_user
from comity.engagements.tests.helpers import make_exercise

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    client = Client()
    client.force_login(make_user("NLD", "SECRET"))
    return client


def test_every_rank_is_shown_with_its_range(client: Client) -> None:
    response = client.get("/assessment/scorecard/", {"year": "2018"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<tr data-iso3="') == 28  # the 29 Allies of 2018 but Iceland
    assert page.count('class="rank-range"') == 28
    assert "Iceland (ISL): no figure for Defence expenditure, % of GDP" in page


def test_api_gives_each_rank_its_range(client: Client) -> None:
    body = client.get("/api/assessment/scorecard/", {"year": "2016", "normalisation": "rank"}).json()
    assert body["normalisation"] == "rank" and body["runs"] > 1000
    for row in body["ranked"]:
        span = row["rank_range"]
        assert span["best"] <= row["rank"] <= span["worst"]
    assert [row["iso3"] for row in body["unranked"]] == ["ISL"]


@pytest.mark.parametrize(
    "query",
    [
        {"year": "2011"},
        {"year": "2020"},
        {"year": "x"},
        {"year": "2018", "weights": "1,1,1"},
        {"year": "2018", "weights": "1,1,1,-1"},
        {"year": "2018", "weights": "nan,1,1,1"},
        {"year": "2018", "weights": "1e400,1,1,1"},
        {"year": "2018", "weights": "0,0,0,0"},
        {"year": "2018", "weights": "a,b,c,d"},
        {"year": "2018", "normalisation": "<script>"},
        {"year": "2018", "aggregation": "harmonic"},
    ],
)
def test_bad_input_is_a_400_on_the_page_and_the_api(client: Client, query: dict[str, str]) -> None:
    assert client.get("/assessment/scorecard/", query).status_code == 400
    assert client.get("/api/assessment/scorecard/", query).status_code == 400


def test_weights_change_the_composite_not_the_figures(client: Client) -> None:
    equal = client.get("/api/assessment/scorecard/", {"year": "2018"}).json()
    burden_only = client.get("/api/assessment/scorecard/", {"year": "2018", "weights": "1,0,0,0"}).json()
    assert burden_only["weights"] == [1.0, 0.0, 0.0, 0.0]
    first = burden_only["ranked"][0]
    assert first["iso3"] == max(burden_only["ranked"], key=lambda r: r["values"]["defence_share_gdp"])["iso3"]
    assert {r["iso3"]: r["values"] for r in equal["ranked"]} == {r["iso3"]: r["values"] for r in burden_only["ranked"]}


def test_a_hidden_engagement_moves_only_the_scorecard_of_a_reader_who_may_see_it() -> None:
    make_exercise("scorecard-hidden", start_date="2018-06-01", participants="USA;DEU", label="NATO SECRET REL TO USA")
    insider, outsider = make_user("USA", "SECRET"), make_user("DEU", "SECRET")

    def strength(user: object) -> float | None:
        return next(s.values["interoperability_strength"] for s in ally_values(user, 2018) if s.iso3 == "DEU")

    assert strength(insider) == strength(outsider) + 1
    assert scorecard_page(outsider, 2018).card is not None
