"""The burden-sharing page and API: figures with their provenance, estimates and unverified
figures marked, and bad input answered 400, never 500."""

from __future__ import annotations

import pytest
from django.test import Client

from comity.core.testing.factories import make_user

pytestmark = pytest.mark.django_db

BAD_YEARS = ["1800", "2031", "abc", "2019.5", "-1", "99999999999999999999999", "2019\x00"]


@pytest.fixture
def client() -> Client:
    client = Client()
    client.force_login(make_user("NLD", username="burden-reader"))
    return client


def test_page_shows_each_figure_with_its_source_and_flags(client: Client) -> None:
    response = client.get("/assessment/burden/", {"year": "2019"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<tr data-iso3="') == 28
    assert "United States" in page and 'id="burden-bars"' in page and "burden_chart.js" in page
    # 2019: the share of GDP from NATO's June 2024 table, the equipment share NATO's June 2019 estimate.
    assert "Defence Expenditure of NATO Countries (2014-2024)" in page
    assert "Defence Expenditure of NATO Countries (2012-2019)" in page
    assert 'flag--estimate">estimate' in page and 'flag--unverified">unverified' in page


def test_page_without_a_year_shows_the_latest_year_without_estimates(client: Client) -> None:
    response = client.get("/assessment/burden/")
    assert response.status_code == 200 and b"Burden sharing in 2023" in response.content


def test_page_marks_every_2024_figure_as_an_estimate(client: Client) -> None:
    page = client.get("/assessment/burden/", {"year": "2024"}).content.decode()
    assert page.count('<tr data-iso3="') == 31
    assert page.count('flag--estimate">estimate') >= 31


@pytest.mark.parametrize("year", BAD_YEARS)
def test_page_answers_a_bad_year_with_400(client: Client, year: str) -> None:
    response = client.get("/assessment/burden/", {"year": year})
    assert response.status_code == 400
    assert b'id="burden-errors"' in response.content and b"burden-table" not in response.content


def test_api_answers_the_year_with_provenance(client: Client) -> None:
    response = client.get("/api/assessment/burden/", {"year": "2014"})
    assert response.status_code == 200
    body = response.json()
    assert {row["iso3"] for row in body["rows"] if row["meets_2pct"]} == {"USA", "GBR", "GRC"}
    gbr = next(row for row in body["rows"] if row["iso3"] == "GBR")
    assert set(gbr["defence_share_gdp"]) == {"value", "source", "edition", "estimate", "verified", "note"}
    assert gbr["sipri_share_gdp"]["edition"] == "2025"


@pytest.mark.parametrize("year", [*BAD_YEARS, ""])
def test_api_answers_a_bad_or_missing_year_with_400(client: Client, year: str) -> None:
    response = client.get("/api/assessment/burden/", {"year": year})
    assert response.status_code == 400 and "year" in response.json()


def test_api_needs_sign_in() -> None:
    assert Client().get("/api/assessment/burden/", {"year": "2019"}).status_code in {401, 403}


def test_schema_documents_the_year(client: Client) -> None:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    [parameter] = schema["paths"]["/api/assessment/burden/"]["get"]["parameters"]
    assert parameter["name"] == "year" and parameter["required"] is True
