"""Rotation planner: valid optimal plans, minimal conflict explanations, field-naming validation."""

from __future__ import annotations

import pytest

from comity.planning.solvers import InputError
from comity.planning.solvers.checker import check_rotations
from comity.planning.solvers.rotation_cpsat import solve_rotations
from comity.planning.solvers.rotation_greedy import greedy_rotations
from comity.planning.solvers.rotation_model import parse_rotations
from comity.planning.tests.bruteforce import assert_minimal_conflict, valid_with
from comity.planning.tests.instances import FAST, baltic


def solve(data: dict) -> dict:
    """Solve, and hold every returned plan to the independent checker."""
    result = solve_rotations(parse_rotations(data))
    if result["status"] in ("OPTIMAL", "FEASIBLE"):
        assert check_rotations(data, result) == []
    return result


def test_feasible_plan_is_optimal_valid_and_fair():
    data = baltic()
    result = solve(data)
    assert result["status"] == "OPTIMAL"
    assert check_rotations(data, result) == []
    assert result["objective"] == result["best_bound"]
    # 16 base-periods, each needing one lead; four leaders with at most two rotations each.
    assert result["objective_terms"]["max_rotations_per_nation"] == 2


def test_optimum_is_no_worse_than_greedy_and_greedy_plans_pass_the_checker():
    data = baltic()
    greedy = greedy_rotations(parse_rotations(data))
    optimal = solve(data)
    if greedy["status"] == "FEASIBLE":
        assert check_rotations(data, greedy) == []
        assert optimal["objective"] <= greedy["objective"]


def test_same_input_gives_the_same_plan():
    assert solve(baltic()) == solve(baltic())


def test_preference_breaks_ties():
    data = {
        "periods": ["P1"],
        "bases": [{"id": "A", "host": "EST", "min_aircraft": 4}, {"id": "B", "host": "LTU", "min_aircraft": 4}],
        "offers": [
            {"nation": "DEU", "periods": ["P1"], "bases": ["A", "B"], "aircraft": 4, "preference": {"B": 3}},
            {"nation": "ITA", "periods": ["P1"], "bases": ["A", "B"], "aircraft": 4},
        ],
        "solver": FAST,
    }
    result = solve(data)
    assert {(a["nation"], a["base"]) for a in result["assignments"]} == {("DEU", "B"), ("ITA", "A")}
    assert result["objective_terms"]["preference_regret"] == 0


def test_base_period_without_any_offer_is_explained():
    data = {
        "periods": ["2027-1", "2027-2"],
        "bases": [{"id": "AMARI", "host": "EST", "min_aircraft": 4, "name": "Ämari"}],
        "offers": [{"nation": "DEU", "periods": ["2027-1"], "bases": ["AMARI"], "aircraft": 4}],
        "solver": FAST,
    }
    result = solve(data)
    assert result["conflict"] == [
        {
            "kind": "coverage",
            "period": "2027-2",
            "base": "AMARI",
            "text": "Ämari in 2027-2 needs at least 4 aircraft but has no offer.",
        }
    ]
    assert_minimal_conflict("rotations", data, result)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda d: d["offers"][1].update(can_lead=False), id="lead-in-2026-2"),
        pytest.param(lambda d: d["offers"][0].update(max_rotations=1, periods=["P1", "P2", "P3"]), id="rotations"),
        pytest.param(lambda d: d["rules"].update(min_gap_periods_same_nation=2), id="gap"),
        pytest.param(lambda d: d["bases"][0].update(min_aircraft=6), id="aircraft"),
    ],
)
def test_infeasible_instances_name_a_minimal_conflict(change):
    data = {
        "periods": ["P1", "P2", "P3"],
        "bases": [{"id": "AMARI", "host": "EST", "min_aircraft": 4, "lead_required": True, "name": "Ämari"}],
        "offers": [
            {"nation": "DEU", "periods": ["P1", "P3"], "bases": ["AMARI"], "aircraft": 4, "can_lead": True},
            {"nation": "ITA", "periods": ["P2", "P3"], "bases": ["AMARI"], "aircraft": 2, "can_lead": True},
            {"nation": "NLD", "periods": ["P2"], "bases": ["AMARI"], "aircraft": 2},
        ],
        "rules": {"min_gap_periods_same_nation": 0},
        "solver": FAST,
    }
    assert valid_with("rotations", data, set())
    change(data)
    result = solve(data)
    assert_minimal_conflict("rotations", data, result)


def test_example_wording_for_a_missing_lead_nation():
    data = {
        "periods": ["2027-2"],
        "bases": [{"id": "AMARI", "host": "EST", "min_aircraft": 4, "lead_required": True, "name": "Ämari"}],
        "offers": [{"nation": "NLD", "periods": ["2027-2"], "bases": ["AMARI"], "aircraft": 4}],
        "solver": FAST,
    }
    result = solve(data)
    assert "Ämari in 2027-2 has no offer from a nation that can lead." in result["explanation"]
    assert_minimal_conflict("rotations", data, result)


def test_nation_with_two_offers_serves_one_base_per_period():
    data = {
        "periods": ["P1"],
        "bases": [{"id": "A", "host": "EST", "min_aircraft": 2}, {"id": "B", "host": "LTU", "min_aircraft": 2}],
        "offers": [
            {"nation": "DEU", "periods": ["P1"], "bases": ["A"], "aircraft": 2},
            {"nation": "DEU", "periods": ["P1"], "bases": ["B"], "aircraft": 2},
        ],
        "solver": FAST,
    }
    result = solve(data)
    assert_minimal_conflict("rotations", data, result)
    assert {item["kind"] for item in result["conflict"]} == {"one_base", "coverage"}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            lambda d: d["offers"][3].update(aircraft=0),
            "offers[3].aircraft",
            "offers[3].aircraft must be a positive integer",
        ),
        (
            lambda d: d["offers"][0].update(bases=["RIGA"]),
            "offers[0].bases[0]",
            "offers[0].bases[0] must be one of the listed bases",
        ),
        (
            lambda d: d["offers"][0].update(preference={"AMARI": -1}),
            "offers[0].preference.AMARI",
            "offers[0].preference.AMARI must be a non-negative integer",
        ),
        (lambda d: d["bases"][1].pop("min_aircraft"), "bases[1].min_aircraft", "bases[1].min_aircraft is required"),
        (lambda d: d["periods"].append("2026-1"), "periods[4]", "periods[4] repeats period '2026-1'"),
        (
            lambda d: d["rules"].update(min_gap_periods_same_nation=-1),
            "rules.min_gap_periods_same_nation",
            "rules.min_gap_periods_same_nation must be a non-negative integer",
        ),
        (
            lambda d: d["solver"].update(time_limit_s=0),
            "solver.time_limit_s",
            "solver.time_limit_s must be a number greater than 0 and at most 600",
        ),
    ],
)
def test_bad_input_names_the_field(change, field, message):
    data = baltic()
    change(data)
    with pytest.raises(InputError) as caught:
        parse_rotations(data)
    assert caught.value.errors[field] == message


def test_non_object_input_is_rejected():
    with pytest.raises(InputError, match="input must be an object"):
        parse_rotations([1, 2])
