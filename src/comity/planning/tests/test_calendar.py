"""Exercise calendar: valid plans, Vienna Document notice, reasons, minimal conflicts, validation."""

from __future__ import annotations

import pytest

from comity.planning.solvers import InputError
from comity.planning.solvers.calendar_cpsat import solve_calendar
from comity.planning.solvers.calendar_greedy import greedy_calendar
from comity.planning.solvers.calendar_model import parse_calendar
from comity.planning.solvers.checker import check_calendar
from comity.planning.tests.bruteforce import assert_minimal_conflict
from comity.planning.tests.instances import FAST, exercises


def solve(data: dict) -> dict:
    """Solve, and hold every returned plan to the independent checker."""
    result = solve_calendar(parse_calendar(data))
    if result["status"] in ("OPTIMAL", "FEASIBLE"):
        assert check_calendar(data, result) == []
    return result


def by_id(result: dict) -> dict[str, dict]:
    return {row["id"]: row for row in result["scheduled"] + result["unscheduled"]}


def test_feasible_calendar_is_optimal_and_valid():
    data = exercises()
    result = solve(data)
    assert result["status"] == "OPTIMAL"
    assert check_calendar(data, result) == []
    assert result["gap"] == 0
    rows = by_id(result)
    # The LIVEX (10,000 troops) is notifiable: planning on 1 Dec 2026 puts the earliest start at
    # week 3 (18 Jan 2027); the CPX must end before it and DEU is blacked out in weeks 1-2.
    assert rows["LIVEX"]["notifiable"] is True
    assert rows["LIVEX"]["start_week"] == 4
    assert rows["LIVEX"]["notify_by"] == "2026-12-14"
    assert rows["CPX"]["start_week"] == 3
    assert rows["OVERSIZE"]["reason"] == "NLD would provide 3500 personnel, above its cap of 3000."


def test_solver_beats_greedy_whose_plan_is_also_valid():
    data = exercises()
    greedy = greedy_calendar(parse_calendar(data))
    assert check_calendar(data, greedy) == []
    assert solve(data)["objective"] > greedy["objective"]
    assert "CPX" in {row["id"] for row in greedy["unscheduled"]}


def test_notice_follows_the_planning_date():
    data = exercises()
    data["planning_date"] = "2027-01-04"
    result = solve(data)
    assert check_calendar(data, result) == []
    assert by_id(result)["LIVEX"]["start_week"] == 7  # 42 days after week 1 is the start of week 7


def test_same_input_gives_the_same_calendar():
    assert solve(exercises()) == solve(exercises())


def test_unscheduled_reasons_name_the_rule():
    data = exercises()
    data["exercises"][1].update(earliest_start_week=5, latest_end_week=5, duration_weeks=2)
    data["exercises"].append(
        {"id": "CLASH", "duration_weeks": 20, "participants": {"POL": 2500}, "priority": 1, "optional": True}
    )
    result = solve(data)
    assert check_calendar(data, result) == []
    rows = by_id(result)
    assert rows["CPX"]["reason"] == "Its window (weeks 5-5) is too short for 2 week(s)."
    assert rows["CLASH"]["reason"].startswith("Each of its 1 possible start weeks clashes")
    assert "POL personnel cap" in rows["CLASH"]["reason"]


def tiny(**changes: object) -> dict:
    """Two exercises in six weeks; each change makes it infeasible in one way."""
    data = {
        "calendar_start": "2027-01-04",
        "planning_date": "2026-12-28",
        "weeks": 6,
        "nations": [{"id": "DEU", "personnel_cap": 5000}, {"id": "POL", "personnel_cap": 5000}],
        "areas": [{"id": "DRAWSKO", "capacity": 1}],
        "exercises": [
            {"id": "A", "duration_weeks": 3, "participants": {"DEU": 3000}, "areas": ["DRAWSKO"]},
            {"id": "B", "duration_weeks": 3, "participants": {"DEU": 3000, "POL": 1000}},
        ],
        "solver": FAST,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(tiny(weeks=5), id="personnel-cap"),
        pytest.param(
            tiny(precedences=[{"before": "B", "after": "A"}, {"before": "A", "after": "B"}]), id="precedence-cycle"
        ),
        pytest.param(
            tiny(
                nations=[
                    {"id": "DEU", "personnel_cap": 9000, "blackout_weeks": [3, 4]},
                    {"id": "POL", "personnel_cap": 5000},
                ]
            ),
            id="blackout",
        ),
        pytest.param(
            tiny(
                exercises=[
                    {
                        "id": "A",
                        "duration_weeks": 2,
                        "participants": {"DEU": 9000},
                        "areas": ["DRAWSKO"],
                        "latest_end_week": 5,
                    }
                ],
                nations=[{"id": "DEU", "personnel_cap": 9000}],
                planning_date="2026-12-20",
                weeks=7,
            ),
            id="notice",
        ),
        pytest.param(
            tiny(
                exercises=[
                    {"id": "A", "duration_weeks": 3, "participants": {"DEU": 100}, "areas": ["DRAWSKO"]},
                    {"id": "B", "duration_weeks": 4, "participants": {"POL": 100}, "areas": ["DRAWSKO"]},
                ]
            ),
            id="area-capacity",
        ),
    ],
)
def test_infeasible_calendars_name_a_minimal_conflict(data):
    result = solve(data)
    assert_minimal_conflict("calendar", data, result)
    assert {row["id"] for row in result["unscheduled"]} == {x["id"] for x in data["exercises"]}


def test_notice_conflict_wording():
    data = tiny(
        exercises=[{"id": "A", "duration_weeks": 2, "participants": {"DEU": 9000}, "latest_end_week": 5}],
        nations=[{"id": "DEU", "personnel_cap": 9000}],
        planning_date="2026-12-20",
        weeks=7,
    )
    result = solve(data)
    assert (
        "A is notifiable under the Vienna Document 2011, so it cannot start before week 5 (42 days after the "
        "planning date 2026-12-20)." in result["explanation"]
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            lambda d: d["exercises"][0].update(duration_weeks=0),
            "exercises[0].duration_weeks",
            "exercises[0].duration_weeks must be a positive integer",
        ),
        (
            lambda d: d["exercises"][2]["participants"].update(FRA=10),
            "exercises[2].participants.FRA",
            "exercises[2].participants.FRA is not a listed nation",
        ),
        (
            lambda d: d["exercises"][0].update(areas=["CASTLEMARTIN"]),
            "exercises[0].areas[0]",
            "exercises[0].areas[0] must be the id of a listed area",
        ),
        (
            lambda d: d["nations"][0].update(blackout_weeks=[21]),
            "nations[0].blackout_weeks[0]",
            "nations[0].blackout_weeks[0] must be a week number from 1 to 20",
        ),
        (
            lambda d: d.update(calendar_start="4 Jan 2027"),
            "calendar_start",
            "calendar_start must be a date (YYYY-MM-DD)",
        ),
        (
            lambda d: d["precedences"].append({"before": "CPX", "after": "NOPE"}),
            "precedences[1].after",
            "precedences[1].after must be the id of a listed exercise",
        ),
        (lambda d: d.update(weeks=101), "weeks", "weeks must be at most 100"),
        (
            lambda d: d["exercises"][1].update(preferred_start_week=21),
            "exercises[1].preferred_start_week",
            "exercises[1].preferred_start_week must be a week number from 1 to 20",
        ),
    ],
)
def test_bad_input_names_the_field(change, field, message):
    data = exercises()
    change(data)
    with pytest.raises(InputError) as caught:
        parse_calendar(data)
    assert caught.value.errors[field] == message
