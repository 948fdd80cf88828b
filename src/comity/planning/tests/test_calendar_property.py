"""Property test: on tiny random calendars every answer is confirmed by exhaustive search.

A returned calendar must pass the independent checker and, at this size, be proven optimal with
the value exhaustive search finds; INFEASIBLE must come with a minimal conflict.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from comity.planning.solvers.calendar_cpsat import solve_calendar
from comity.planning.solvers.calendar_model import parse_calendar
from comity.planning.solvers.checker import check_calendar
from comity.planning.tests.bruteforce import assert_minimal_conflict, best_calendar_value
from comity.planning.tests.instances import FAST


@st.composite
def instances(draw: st.DrawFn) -> dict[str, Any]:
    weeks = draw(st.integers(3, 5))
    nations = [
        {
            "id": n,
            "personnel_cap": draw(st.sampled_from([4000, 9000, 12000])),
            "blackout_weeks": draw(st.lists(st.integers(1, weeks), max_size=1)),
        }
        for n in ("DEU", "POL")
    ]
    exercises = []
    for i in range(draw(st.integers(1, 3))):
        duration = draw(st.integers(1, 2))
        exercises.append(
            {
                "id": f"X{i}",
                "duration_weeks": duration,
                "participants": draw(
                    st.dictionaries(st.sampled_from(["DEU", "POL"]), st.sampled_from([2000, 5000]), min_size=1)
                ),
                "areas": draw(st.sampled_from([[], ["A"], ["A", "B"]])),
                "tanks": draw(st.sampled_from([0, 300])),
                "earliest_start_week": draw(st.integers(1, 2)),
                "priority": draw(st.integers(1, 3)),
                "preferred_start_week": draw(st.integers(1, weeks)),
                "optional": draw(st.booleans()),
            }
        )
    precedences = [{"before": "X0", "after": "X1"}] if len(exercises) > 1 and draw(st.booleans()) else []
    return {
        "calendar_start": "2027-01-04",
        "planning_date": draw(st.sampled_from(["2026-11-01", "2026-12-10"])),
        "weeks": weeks,
        "nations": nations,
        "areas": [{"id": "A", "capacity": 1}, {"id": "B", "capacity": 1}],
        "exercises": exercises,
        "precedences": precedences,
        "solver": FAST,
    }


@settings(max_examples=60, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_every_answer_is_independently_confirmed(data: dict[str, Any]) -> None:
    result = solve_calendar(parse_calendar(data))
    event(result["status"])
    best = best_calendar_value(data)
    if result["status"] == "INFEASIBLE":
        assert best is None
        assert_minimal_conflict("calendar", data, result)
    else:
        assert result["status"] == "OPTIMAL"
        assert check_calendar(data, result) == []
        assert result["objective"] == best
