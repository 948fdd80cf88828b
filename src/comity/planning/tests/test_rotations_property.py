"""Property test: on small random rotation instances every answer is checked independently.

A plan must pass the checker and, on instances this small, be proven optimal with the least cost
that exhaustive search finds; an INFEASIBLE answer must be confirmed by exhaustive search and come
with a minimal conflict. Instances are kept to at most six
(offer, period) slots so the exhaustive search stays quick.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from comity.planning.solvers.checker import check_rotations
from comity.planning.solvers.rotation_cpsat import solve_rotations
from comity.planning.solvers.rotation_model import parse_rotations
from comity.planning.tests.bruteforce import assert_minimal_conflict, best_rotation_cost
from comity.planning.tests.instances import FAST


@st.composite
def instances(draw: st.DrawFn) -> dict[str, Any]:
    periods = [f"P{i}" for i in range(1, draw(st.integers(1, 3)) + 1)]
    bases = [
        {"id": b, "host": "XXX", "min_aircraft": draw(st.integers(1, 4)), "lead_required": draw(st.booleans())}
        for b in ["A", "B"][: draw(st.integers(1, 2))]
    ]
    base_ids = [b["id"] for b in bases]
    offers = []
    for _ in range(draw(st.integers(1, 3))):
        offer_bases = draw(st.lists(st.sampled_from(base_ids), min_size=1, unique=True))
        offers.append(
            {
                "nation": draw(st.sampled_from(["DEU", "ITA", "POL"])),
                "periods": draw(st.lists(st.sampled_from(periods), min_size=1, unique=True)),
                "bases": offer_bases,
                "aircraft": draw(st.integers(1, 4)),
                "max_rotations": draw(st.integers(1, 3)),
                "can_lead": draw(st.booleans()),
                "preference": {b: draw(st.integers(0, 2)) for b in offer_bases},
            }
        )
    assume(sum(len(o["periods"]) for o in offers) <= 6)
    return {
        "periods": periods,
        "bases": bases,
        "offers": offers,
        "rules": {"min_gap_periods_same_nation": draw(st.integers(0, 2))},
        "solver": FAST,
    }


@settings(
    max_examples=100,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(instances())
def test_every_answer_is_independently_confirmed(data: dict[str, Any]) -> None:
    result = solve_rotations(parse_rotations(data))
    event(result["status"])
    best = best_rotation_cost(data)
    if result["status"] in ("OPTIMAL", "FEASIBLE"):
        assert check_rotations(data, result) == []
        assert result["status"] == "OPTIMAL"
        assert result["objective"] == best
    else:
        assert result["status"] == "INFEASIBLE"
        assert best is None
        assert_minimal_conflict("rotations", data, result)
