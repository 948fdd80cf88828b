"""The calendar (month and year) and the co-participation network, on the server: the layout of
bars, the month the calendar opens on, the network's filters and weights, what hidden records
and objectives may not change, and a clear 400 for every bad parameter."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from comity.core.labels import label_from_marking
from comity.engagements import selectors
from comity.engagements.calendar_grid import busy_days, month_weeks, week_rows
from comity.engagements.models import Exercise, Objective
from comity.engagements.tests.helpers import logged_in, make_exercise

pytestmark = pytest.mark.django_db

HIDDEN_FROM_NLD = "NATO SECRET REL TO DEU"


@pytest.fixture
def nld() -> Client:
    return logged_in("NLD", "calendar-nld")


@pytest.fixture
def deu() -> Client:
    return logged_in("DEU", "calendar-deu")


# The layout of bars (no database).


def test_a_record_within_a_week_is_one_bar_across_its_days() -> None:
    weeks = month_weeks(2022, 6)
    rows = week_rows(weeks, [("ramstein", date(2022, 6, 6), date(2022, 6, 10))])
    bars = [bar for row in rows for bar in row.bars]
    assert len(bars) == 1
    assert (bars[0].column, bars[0].span, bars[0].lane, bars[0].before, bars[0].after) == (1, 5, 0, False, False)
    assert rows[1].days[0] == date(2022, 6, 6) and rows[1].bars == bars


def test_a_record_across_weeks_is_split_where_a_row_ends() -> None:
    rows = week_rows(month_weeks(2018, 10), [("tj18", date(2018, 10, 25), date(2018, 11, 7))])
    pieces = [(row.days[0], bar.column, bar.span, bar.before, bar.after) for row in rows for bar in row.bars]
    assert pieces == [(date(2018, 10, 22), 4, 4, False, True), (date(2018, 10, 29), 1, 7, True, True)]


def test_bars_that_overlap_take_different_lanes_and_free_lanes_are_reused() -> None:
    week = [[date(2022, 6, 6 + n) for n in range(7)]]
    items = [
        ("long", date(2022, 6, 1), date(2022, 6, 30)),
        ("monday", date(2022, 6, 6), date(2022, 6, 6)),
        ("tuesday-wednesday", date(2022, 6, 7), date(2022, 6, 8)),
        ("tuesday", date(2022, 6, 7), date(2022, 6, 7)),
    ]
    (row,) = week_rows(week, items)
    lanes = {bar.item: bar.lane for bar in row.bars}
    assert lanes == {"long": 0, "monday": 1, "tuesday-wednesday": 1, "tuesday": 2}
    assert row.lanes == 3


def test_busy_days_count_the_records_running_on_each_day() -> None:
    items = [("a", date(2018, 1, 30), date(2018, 2, 2)), ("b", date(2018, 2, 2), date(2018, 2, 2))]
    assert busy_days(items, date(2018, 2, 1), date(2018, 2, 28)) == {date(2018, 2, 1): 1, date(2018, 2, 2): 2}


# The month the calendar opens on.


def test_the_nearest_record_day_looks_both_ways() -> None:
    make_exercise("near-past", start_date="2041-03-01", end_date="2041-03-05")
    make_exercise("near-future", start_date="2041-06-20", end_date="2041-06-21")
    records = Exercise.objects.filter(key__startswith="near-")
    assert selectors.nearest_record_day(records, date(2041, 3, 3)) == date(2041, 3, 3)  # one runs that day
    assert selectors.nearest_record_day(records, date(2041, 4, 1)) == date(2041, 3, 5)
    assert selectors.nearest_record_day(records, date(2041, 6, 1)) == date(2041, 6, 20)
    assert selectors.nearest_record_day(records, date(2040, 1, 1)) == date(2041, 3, 1)
    assert selectors.nearest_record_day(records.none(), date(2040, 1, 1)) is None


def test_the_calendar_opens_on_the_month_with_visible_records_nearest_today(nld: Client, deu: Client) -> None:
    # The last shipped record starts on 28 November 2024; a record hidden from NLD runs today.
    today = timezone.localdate()
    make_exercise("hidden-today", title="Hidden today", start_date=today.isoformat(), label=HIDDEN_FROM_NLD)
    page = nld.get("/engagements/calendar/").content.decode()
    assert "<h1>November 2024</h1>" in page and "Hidden today" not in page
    assert 'data-key="bap-2024-11-ita-siauliai"' in page and 'id="cal-nearest"' in page
    seen = deu.get("/engagements/calendar/").content.decode()
    assert f"<h1>{today:%B %Y}</h1>" in seen and 'data-key="hidden-today"' in seen


def test_a_year_without_a_month_opens_on_its_month_with_records_nearest_today(nld: Client) -> None:
    page = nld.get("/engagements/calendar/", {"year": 2015, "kind": "exercise"}).content.decode()
    assert "<h1>November 2015</h1>" in page  # Trident Juncture 2015 ended on 6 November; none later that year
    page = nld.get("/engagements/calendar/", {"year": 1999}).content.decode()
    assert f"<h1>{date(1999, timezone.localdate().month, 1):%B} 1999</h1>" in page and 'id="cal-empty"' in page


def test_the_month_draws_one_bar_per_week_row_and_carries_its_filters(nld: Client) -> None:
    page = nld.get("/engagements/calendar/", {"year": 2018, "month": 10, "kind": "exercise"}).content.decode()
    assert page.count('data-key="trident-juncture-2018"') == 2  # Thursday 25 to Sunday 28, and the next row
    assert "grid-column: 4 / span 4" in page and "bap-" not in page
    assert 'href="?kind=exercise&amp;year=2018&amp;month=11"' in page
    assert 'href="?kind=exercise&amp;view=year&amp;year=2018"' in page


def test_a_month_precision_record_covers_its_whole_months(nld: Client) -> None:
    """DEFENDER-Europe 21 ran "2021-03" to "2021-06": it is drawn through 30 June, not to 1 June."""
    june = nld.get("/engagements/calendar/", {"year": 2021, "month": 6, "kind": "exercise"}).content.decode()
    assert june.count('data-key="defender-europe-2021"') == len(month_weeks(2021, 6))  # a bar in every week row
    july = nld.get("/engagements/calendar/", {"year": 2021, "month": 7, "kind": "exercise"}).content.decode()
    assert july.count('data-key="defender-europe-2021"') == 1  # only the row that starts Monday 28 June


def test_the_year_view_lists_each_months_records_and_shades_their_days(nld: Client) -> None:
    make_exercise("hidden-2018", title="Hidden 2018", start_date="2018-10-01", label=HIDDEN_FROM_NLD)
    page = nld.get("/engagements/calendar/", {"view": "year", "year": 2018, "kind": "exercise"}).content.decode()
    october = page[page.index('data-month="2018-10"') : page.index('data-month="2018-11"')]
    assert 'data-key="trident-juncture-2018"' in october and 'class="cal-busy-1" data-day="2018-10-25"' in october
    assert 'data-records="1"' in october  # the hidden exercise is not counted
    assert "Hidden 2018" not in page and 'data-day="2018-10-01">' in october
    summary = re.search(r'id="cal-year-summary">(\d+) engagement', page)
    assert (
        summary
        and int(summary.group(1))
        == selectors.filter_engagements(Exercise.objects.filter(label__marking="PUBLIC"), year=2018).count()
    )
    opening = nld.get("/engagements/calendar/", {"view": "year"}).content.decode()
    assert "<h1>Engagements in 2024</h1>" in opening


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"view": "week"}, "View"),
        ({"view": "year", "year": "10000"}, "Year"),
        ({"kind": "nonsense"}, "Kind"),
        ({"month": "13"}, "Month"),
        ({"year": "2018", "month": "²"}, "Month"),
    ],
)
def test_bad_calendar_parameters_are_a_400_naming_them(nld: Client, params: dict[str, str], named: str) -> None:
    response = nld.get("/engagements/calendar/", params)
    assert response.status_code == 400
    assert re.search(rf'id="calendar-errors"><li>{named}: ', response.content.decode())


# The network.


@pytest.fixture
def linked() -> None:
    """Three visible exercises in 2041 and one hidden from NLD; a visible and a hidden objective."""
    make_exercise("net-a", start_date="2041-03-01", end_date="2041-03-10", participants="DEU;NOR;USA")
    make_exercise("net-b", start_date="2041-06-01", participants="DEU;NOR", objectives="deterrence")
    make_exercise("net-c", start_date="2042-01-05", participants="DEU;NOR;FIN")
    make_exercise("net-d", start_date="2041-05-01", participants="DEU;NOR;USA", label=HIDDEN_FROM_NLD)
    hidden_goal = Objective.objects.create(
        code="hidden-goal", title="Hidden goal", label=label_from_marking(HIDDEN_FROM_NLD), owner="DEU"
    )
    for key in ("net-a", "net-d"):
        Exercise.objects.get(key=key).objectives.add(hidden_goal)


def weights(client: Client, **params: object) -> dict[tuple[str, str], int]:
    response = client.get("/api/engagements/network/", params)
    assert response.status_code == 200, response.content
    return {(e["source"], e["target"]): e["weight"] for e in response.json()["edges"]}


def test_the_period_kind_and_objective_filter_the_network(nld: Client, linked: None) -> None:
    assert weights(nld, start=2041, end=2041) == {("DEU", "NOR"): 2, ("DEU", "USA"): 1, ("NOR", "USA"): 1}
    assert weights(nld, start="2041-03-10", end="2041-05-31") == {
        ("DEU", "NOR"): 1,
        ("DEU", "USA"): 1,
        ("NOR", "USA"): 1,
    }
    assert weights(nld, start="2041-03-11", end="2041-05-31") == {}  # net-a ended on 10 March
    assert weights(nld, start="2042-01-01") == {("DEU", "FIN"): 1, ("DEU", "NOR"): 1, ("FIN", "NOR"): 1}
    assert weights(nld, start=2041, end=2042, objective="deterrence") == {("DEU", "NOR"): 1}
    assert weights(nld, start=2041, end=2042, kind="posture") == {}
    graph = nld.get("/api/engagements/network/", {"start": 2041, "end": 2042}).json()
    assert graph["engagements"] == 3 and graph["pairs"] == 5
    assert {n["id"]: (n["engagements"], n["group"]) for n in graph["nodes"]}["FIN"] == (1, "ally")  # as of today
    in_2018 = nld.get("/api/engagements/network/", {"start": 2018, "end": 2018}).json()
    assert {n["id"]: n["group"] for n in in_2018["nodes"]}["FIN"] == "partner"  # on 31 December 2018


def test_weights_thresholds_and_the_heaviest_links(nld: Client, linked: None) -> None:
    period = {"start": 2041, "end": 2042}
    assert weights(nld, **period, min_weight=2) == {("DEU", "NOR"): 3}
    assert weights(nld, **period, top=2) == {("DEU", "NOR"): 3, ("DEU", "FIN"): 1}  # ties by the pair's codes
    graph = nld.get("/api/engagements/network/", {**period, "min_weight": 2}).json()
    links = {n["id"]: n["links"] for n in graph["nodes"]}
    assert links == {"DEU": 1, "NOR": 1, "USA": 0, "FIN": 0}  # every nation stays a node; its kept links


def test_hidden_records_and_objectives_count_for_no_one_who_may_not_see_them(
    nld: Client, deu: Client, linked: None
) -> None:
    period = {"start": 2041, "end": 2041}
    assert weights(deu, **period) == {("DEU", "NOR"): 3, ("DEU", "USA"): 2, ("NOR", "USA"): 2}
    assert weights(deu, **period, objective="hidden-goal") == {("DEU", "NOR"): 2, ("DEU", "USA"): 2, ("NOR", "USA"): 2}
    hidden = nld.get("/api/engagements/network/", {**period, "objective": "hidden-goal"})
    missing = nld.get("/api/engagements/network/", {**period, "objective": "no-such-goal"})
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json() == {"objective": ["no objective has this code"]}
    page = nld.get("/engagements/network/", {**period, "objective": "hidden-goal"})
    unknown = nld.get("/engagements/network/", {**period, "objective": "no-such-goal"})
    assert page.status_code == unknown.status_code == 400
    text = page.content.decode()
    assert "Objective: no objective has this code" in text and "hidden-goal" not in text.lower()
    assert "Hidden goal" not in text


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2019-02-30"}, "start"),
        ({"start": "20190101"}, "start"),
        ({"end": "²⁰¹⁹"}, "end"),
        ({"start": "0000"}, "start"),
        ({"start": "2020", "end": "2019"}, "end"),
        ({"top": "0"}, "top"),
        ({"top": "5001"}, "top"),
        ({"min_weight": "0"}, "min_weight"),
        ({"min_weight": "1e3"}, "min_weight"),
        ({"kind": "nonsense"}, "kind"),
    ],
)
def test_bad_network_parameters_are_a_400_naming_them(nld: Client, params: dict[str, str], field: str) -> None:
    api = nld.get("/api/engagements/network/", params)
    assert api.status_code == 400 and field in api.json()
    page = nld.get("/engagements/network/", params)
    assert page.status_code == 400 and 'id="network-errors"' in page.content.decode()


def test_a_bad_layout_is_a_400_on_the_page(nld: Client) -> None:
    page = nld.get("/engagements/network/", {"layout": "spiral"})
    assert page.status_code == 400 and "Layout: " in page.content.decode()


def test_the_page_table_lists_the_links_the_api_draws(nld: Client, linked: None) -> None:
    params = {"start": "2041", "end": "2042", "min_weight": "1", "layout": "groups"}
    page = nld.get("/engagements/network/", params).content.decode()
    rows = re.findall(r'<tr data-source="(\w+)" data-target="(\w+)" data-weight="(\d+)"', page)
    assert {(a, b): int(w) for a, b, w in rows} == weights(nld, start=2041, end=2042)
    assert rows[0] == ("DEU", "NOR", "3")  # heaviest first
    assert 'data-query="start=2041-01-01&amp;end=2042-12-31"' in page and 'data-layout="groups"' in page
    old_link = nld.get("/engagements/network/", {"year": 2041}).content.decode()
    assert 'name="start" id="network-start" value="2041"' in old_link and 'data-query="year=2041"' in old_link


def test_the_page_opens_on_the_heaviest_links_of_all_the_shipped_records(nld: Client) -> None:
    page = nld.get("/engagements/network/").content.decode()
    assert len(re.findall(r"<tr data-source=", page)) == 80 and 'data-query="top=80"' in page
    everything = nld.get("/engagements/network/", {"top": ""}).content.decode()
    assert len(re.findall(r"<tr data-source=", everything)) > 900
