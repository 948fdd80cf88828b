"""The composite scorecard: normalisation, aggregation and ranking by hand, the rank range
always containing the chosen rank, and a country worse on every indicator never ranked higher."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from comity.assessment.scorecard import (
    IndicatorSpec,
    ScorecardError,
    aggregate,
    checked_weights,
    normalise,
    ranks_of,
    scorecard,
)

SPECS = (IndicatorSpec("a", "A"), IndicatorSpec("b", "B"), IndicatorSpec("cost", "Cost", higher_is_better=False))


def test_normalisations_by_hand() -> None:
    column = np.array([[1.0], [2.0], [4.0]])
    assert normalise(column, "min-max").ravel().tolist() == pytest.approx([0.0, 1 / 3, 1.0])
    z = normalise(column, "z-score").ravel()
    assert z.mean() == pytest.approx(0.0) and z.std() == pytest.approx(1.0)
    assert normalise(np.array([[3.0], [1.0], [3.0]]), "rank").ravel().tolist() == pytest.approx([0.75, 0.0, 0.75])
    # A column with one value throughout tells no one apart.
    assert normalise(np.array([[5.0], [5.0]]), "min-max").ravel().tolist() == [0.5, 0.5]


def test_aggregations_by_hand() -> None:
    scores = np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]])
    weights = np.array([0.5, 0.5])
    assert aggregate(scores, weights, "arithmetic").tolist() == pytest.approx([0.5, 0.5, 0.5])
    # Geometric: each column rescaled to [1, 100] first, so balance wins: sqrt(100 * 1) = 10 for the
    # lopsided rows against sqrt(50.5 * 50.5) = 50.5 for the balanced one.
    assert aggregate(scores, weights, "geometric").tolist() == pytest.approx([10.0, 50.5, 10.0])


def test_ranks_share_the_best_place_on_a_tie() -> None:
    assert ranks_of(np.array([0.2, 0.9, 0.2, 0.5])).tolist() == [3, 1, 3, 2]


def test_a_cost_indicator_is_turned_round() -> None:
    values = {"X": {"a": 1.0, "b": 1.0, "cost": 10.0}, "Y": {"a": 1.0, "b": 1.0, "cost": 1.0}}
    card = scorecard(values, SPECS)
    assert card.ranks["Y"].rank == 1 and card.ranks["X"].rank == 2


@pytest.mark.parametrize("weights", [[1, 1], [1, -1, 1], [0, 0, 0], [1, float("nan"), 1], [1, float("inf"), 1]])
def test_bad_weights_are_refused(weights: list[float]) -> None:
    with pytest.raises(ScorecardError):
        checked_weights(weights, 3)


def test_one_country_is_no_scorecard() -> None:
    with pytest.raises(ScorecardError):
        scorecard({"X": {"a": 1.0, "b": 1.0, "cost": 1.0}}, SPECS)


values_tables = st.integers(3, 9).flatmap(
    lambda n: st.lists(st.tuples(*(st.floats(-1e6, 1e6, allow_nan=False) for _ in SPECS)), min_size=n, max_size=n)
)


@settings(max_examples=60, deadline=None)
@given(values_tables, st.sampled_from(["min-max", "z-score", "rank"]), st.sampled_from(["arithmetic", "geometric"]))
def test_ranges_hold_the_rank_and_dominance_is_kept(rows: list[tuple[float, ...]], how: str, agg: str) -> None:
    values = {f"C{i}": {spec.code: row[j] for j, spec in enumerate(SPECS)} for i, row in enumerate(rows)}
    # A country strictly better than C0 on every indicator (the cost one lower).
    c0 = values["C0"]
    values["TOP"] = {"a": c0["a"] + 1.0, "b": c0["b"] + 1.0, "cost": c0["cost"] - 1.0}
    card = scorecard(values, SPECS, normalisation=how, aggregation=agg, draws=20)  # type: ignore[arg-type]
    for rank in card.ranks.values():
        assert 1 <= rank.best <= rank.rank <= rank.worst <= len(values)
        assert rank.best <= rank.p05 <= rank.p95 <= rank.worst
    top, c0_rank = card.ranks["TOP"], card.ranks["C0"]
    assert top.rank < c0_rank.rank and top.best < c0_rank.best and top.worst < c0_rank.worst


def test_the_sensitivity_analysis_is_seeded() -> None:
    values = {f"C{i}": {"a": float(i % 3), "b": float(i % 4), "cost": float(i % 5)} for i in range(8)}
    assert scorecard(values, SPECS, seed=3) == scorecard(values, SPECS, seed=3)
