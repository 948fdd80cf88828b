"""The planner input form: rows in, the solver's JSON out, errors beside their fields."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from django.test import Client

from comity.core.testing.factories import make_user
from comity.engagements.models import Engagement
from comity.planning.builder import MAX_ROWS, CalendarBuilder, RotationBuilder
from comity.planning.examples import CALENDAR_SAMPLE, ROTATION_SAMPLE
from comity.planning.periods import period_dates

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner() -> Client:
    client = Client()
    client.force_login(make_user("NLD", "SECRET", username="form-planner", roles=("editor",)))
    return client


def _post_data(builder: Any) -> dict[str, Any]:
    """What the browser posts for a builder filled from rows: every field's value by its name."""
    data: dict[str, Any] = {}
    for field in builder.settings:
        value = field.value()
        data[field.html_name] = "" if value is None else str(value)
    for _, formset in builder.sections:
        for field in formset.management_form:
            data[field.html_name] = str(field.value())
        for form in formset:
            for field in form:
                value = field.value()
                if isinstance(value, bool):
                    if value:
                        data[field.html_name] = "on"
                elif value is not None:
                    data[field.html_name] = str(value)
    return data


def _sample_with_dates() -> dict[str, Any]:
    data = copy.deepcopy(ROTATION_SAMPLE)
    spans = period_dates(data)
    del data["calendar_start"], data["period_months"]
    data["period_dates"] = {p: {"start": str(s), "end": str(e)} for p, (s, e) in spans.items()}
    return data


def test_the_rotation_sample_goes_through_the_form_unchanged() -> None:
    filled = RotationBuilder.from_input(ROTATION_SAMPLE)
    assert filled is not None
    builder = RotationBuilder(_post_data(filled))
    assert builder.is_valid(), [f.errors for _, fs in builder.sections for f in fs] + [builder.settings.errors]
    expected = _sample_with_dates()
    for offer in expected["offers"]:
        offer.setdefault("can_lead", False)
        if "preference" in offer:  # the form keeps the one preferred base
            offer["preference"] = dict.fromkeys(offer["preference"], 1)
    assert builder.json == {**expected, "solver": {"time_limit_s": 10}}


def test_the_calendar_sample_goes_through_the_form_unchanged() -> None:
    filled = CalendarBuilder.from_input(CALENDAR_SAMPLE)
    assert filled is not None
    builder = CalendarBuilder(_post_data(filled))
    assert builder.is_valid(), [f.errors for _, fs in builder.sections for f in fs] + [builder.settings.errors]
    built = builder.json
    assert built is not None
    assert built["nations"] == CALENDAR_SAMPLE["nations"][:1] + [
        {"id": n["id"], "personnel_cap": n["personnel_cap"]} for n in CALENDAR_SAMPLE["nations"][1:]
    ]
    assert built["exercises"] == CALENDAR_SAMPLE["exercises"]
    assert built["precedences"] == CALENDAR_SAMPLE["precedences"]


def _rotation_rows(**changes: Any) -> dict[str, Any]:
    filled = RotationBuilder.from_input(ROTATION_SAMPLE)
    assert filled is not None
    data = _post_data(filled)
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"periods-0-end": "2026-12-01"}, "periods-0-end", "comes before the first"),
        ({"periods-1-start": "2027-04-15"}, "periods-1-start", "Must start after period 2027-1 ends"),
        ({"periods-0-start": "99999-01-01"}, "periods-0-start", "Enter a valid date"),
        ({"periods-2-id": "2027-1"}, "periods-2-id", "Another row already has period 2027-1"),
        ({"bases-0-host": "XXX"}, "bases-0-host", "XXX is not a state in the registry"),
        ({"bases-0-min_aircraft": "1" + "0" * 30}, "bases-0-min_aircraft", "less than or equal to 1000000000"),
        ({"offers-0-periods": "2027-1, 2031-9"}, "offers-0-periods", "Not a period of the table above: 2031-9"),
        ({"offers-0-preferred_base": "NOWHERE"}, "offers-0-preferred_base", "one of the offer"),
        ({"offers-1-nation": "<script>"}, "offers-1-nation", "alpha-3"),
        ({"settings-time_limit_s": "inf"}, "settings-time_limit_s", "Enter a number"),
        ({"settings-time_limit_s": "1e9"}, "settings-time_limit_s", "less than or equal to 600"),
    ],
)
def test_bad_rows_are_named_beside_their_field(
    planner: Client, changes: dict[str, Any], field: str, words: str
) -> None:
    data = _rotation_rows(**changes, action="build")
    page = planner.post("/planning/rotations/", data)
    assert page.status_code == 200
    html = page.content.decode()
    cell = re.search(rf'name="{re.escape(field)}"[^>]*>(.*?)</td>', html, re.S)
    assert cell is not None and words.replace("'", "&#x27;") in cell.group(1)
    assert 'id="plan-status"' not in html  # nothing was solved
    value = changes[field]
    assert f'value="{value}"'.replace("<", "&lt;").replace(">", "&gt;") in html  # the input is kept
    assert "<script>" not in html.split("</header>", 1)[-1].replace("<script src=", "")


def test_the_form_solves_and_shows_the_json_it_built(planner: Client) -> None:
    page = planner.post("/planning/rotations/", _rotation_rows(action="build")).content.decode()
    assert 'id="plan-status">OPTIMAL' in page and 'id="built-json"' in page
    stored = planner.session["planning:rotations"]["current"]["input"]
    assert stored["period_dates"]["2027-2"] == {"start": "2027-05-01", "end": "2027-08-31"}
    # The plan built by the form saves with those dates.
    planner.post("/planning/rotations/save/", {"title_prefix": "Form plan", "marking": "PUBLIC"})
    saved = Engagement.objects.filter(key__startswith="plan-form-plan--")
    assert saved.exists() and {str(r.start_date) for r in saved} <= {"2027-01-01", "2027-05-01", "2027-09-01"}


def test_rows_are_added_and_removed_without_checking(planner: Client) -> None:
    data = _rotation_rows(action="add:offers")
    added = planner.post("/planning/rotations/", data).content.decode()
    assert 'name="offers-TOTAL_FORMS" value="5"' in added and "errorlist" not in added
    data = _rotation_rows(action="remove:offers:0")
    removed = planner.post("/planning/rotations/", data).content.decode()
    assert 'name="offers-TOTAL_FORMS" value="3"' in removed and 'name="offers-0-nation" value="POL"' in removed
    # A tampered count or action is read as nothing to do, never a 500.
    for hostile in ({"offers-TOTAL_FORMS": "10**9", "action": "remove:offers:x"}, {"action": "add:nope"}):
        assert planner.post("/planning/rotations/", _rotation_rows(**hostile)).status_code == 200
    huge = _rotation_rows(action="build", **{"offers-TOTAL_FORMS": str(MAX_ROWS + 5)})
    page = planner.post("/planning/rotations/", huge).content.decode()
    assert f"Please submit at most {MAX_ROWS} forms" in page


def test_empty_tables_and_a_missing_management_form_are_errors(planner: Client) -> None:
    page = planner.post("/planning/rotations/", {"action": "build"}).content.decode()
    assert "ManagementForm data is missing" in page or "This field is required" in page
    blank = {f"{p}-TOTAL_FORMS": "1" for p in ("periods", "bases", "offers")} | {
        f"{p}-INITIAL_FORMS": "0" for p in ("periods", "bases", "offers")
    }
    blank |= {"settings-min_gap": "0", "settings-time_limit_s": "5", "action": "build"}
    page = planner.post("/planning/rotations/", blank).content.decode()
    assert "Fill at least one row of offers." in page


def test_calendar_dates_outside_the_weeks_are_named(planner: Client) -> None:
    filled = CalendarBuilder.from_input(CALENDAR_SAMPLE)
    assert filled is not None
    data = _post_data(filled) | {
        "exercises-0-preferred_start": "2030-01-01",
        "exercises-1-participants": "POL:7000, XYZ:5",
        "nations-0-blackout_to": "",
        "precedences-0-after": "SABER-CPX",
        "settings-calendar_start": "9999-12-31",
        "action": "build",
    }
    html = planner.post("/planning/calendar/", data).content.decode()
    assert "Give a day from 0002-01-01 to 9998-12-31." in html
    data["settings-calendar_start"] = "2027-01-04"
    html = planner.post("/planning/calendar/", data).content.decode()
    assert "Give a day from 2027-01-04 (week 1) to 2027-07-04 (week 26)." in html
    assert "Not a nation of the table above: XYZ." in html
    assert "Give both days of the blackout, or neither." in html
    assert "Name two different exercises." in html


def test_the_calendar_form_solves(planner: Client) -> None:
    filled = CalendarBuilder.from_input(CALENDAR_SAMPLE)
    assert filled is not None
    page = planner.post("/planning/calendar/", _post_data(filled) | {"action": "build"}).content.decode()
    assert 'id="plan-status">OPTIMAL' in page and 'id="built-json"' in page
