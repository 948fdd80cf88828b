"""The political-cohesion page, API and CLI: the same checks of the same input, 400 (or exit 2)
for bad input, never 500, and the CSV contract."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from comity.core.testing.factories import make_user

pytestmark = pytest.mark.django_db

HEADER = "first,second,votes,agreement,kappa,idealpoint_distance"
BAD_QUERIES = [
    {"year": "1999"},
    {"year": "abc"},
    {"year": "99999999999999999999999"},
    {"year": "2019", "with": "XXX"},
    {"year": "2019", "with": "<script>alert(1)</script>"},
    {"year": "2019", "with": ",".join(["RUS", "CHN", "UKR", "IRN", "IND", "BRA", "ZAF", "JPN", "KOR", "AUS", "NZL"])},
    {"year": "2019", "with": "R" * 5000},
    {"year": "2019\x00"},
]


@pytest.fixture
def client() -> Client:
    client = Client()
    client.force_login(make_user("FIN", username="cohesion-reader"))
    return client


def test_page_shows_the_allies_the_compared_states_and_the_sources(client: Client) -> None:
    response = client.get("/assessment/cohesion/", {"year": "2010", "with": "rus,ukr"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<tr data-iso3="') == 28
    assert "Agreement with Russia" in page and "Agreement with Ukraine" in page
    assert 'id="cohesion-series"' in page and "cohesion_chart.js" in page
    assert "hdl:1902.1/12379" in page and "Bailey, Strezhnev &amp; Voeten (2017)" in page


def test_page_without_parameters_shows_the_latest_session(client: Client) -> None:
    response = client.get("/assessment/cohesion/")
    assert response.status_code == 200 and b"Political cohesion in 2019" in response.content


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_input_is_a_400_everywhere_and_user_text_stays_text(client: Client, query: dict[str, str]) -> None:
    page = client.get("/assessment/cohesion/", query)
    assert page.status_code == 400
    assert b"<script>alert" not in page.content
    api = client.get("/api/assessment/cohesion/", query)
    assert api.status_code == 400


def test_api_answers_with_every_pair_and_the_sources(client: Client) -> None:
    response = client.get("/api/assessment/cohesion/", {"year": "2005"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"year", "allies", "others", "alliance", "against", "pairs", "sources"}
    allies = len(body["allies"])
    assert allies == 26 and len(body["pairs"]) == allies * (allies - 1) // 2 + 2 * allies
    usa_gbr = next(p for p in body["pairs"] if {p["first"], p["second"]} == {"USA", "GBR"})
    assert usa_gbr["votes"] > 0 and usa_gbr["idealpoint_distance"] is not None


def test_api_asks_for_a_sign_in() -> None:
    assert Client().get("/api/assessment/cohesion/", {"year": "2005"}).status_code in (401, 403)


def test_cli_csv_contract() -> None:
    out = io.StringIO()
    call_command("assess", "cohesion", "--year", "2019", "--with", "RUS", stdout=out)
    text = out.getvalue()
    assert text.splitlines()[0] == HEADER
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 29 * 28 // 2 + 29
    assert all(row["idealpoint_distance"] == "" for row in rows)  # no ideal points after 2012
    assert all(0.0 <= float(row["agreement"]) <= 1.0 for row in rows if row["votes"] != "0")


@pytest.mark.parametrize(
    ("args", "message"), [(["--year", "2021"], "outside"), (["--year", "2019", "--with", "QQQ"], "QQQ")]
)
def test_cli_bad_input_exits_2_with_a_message(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message) as error:
        call_command("assess", "cohesion", *args)
    assert error.value.returncode == 2


def test_the_assessment_index_links_every_indicator(client: Client) -> None:
    page = client.get("/assessment/").content.decode()
    pages = ("burden", "cohesion", "interoperability", "cooperation", "posture", "partnerships", "scorecard", "report")
    for path in pages:
        assert f'href="/assessment/{path}/"' in page
