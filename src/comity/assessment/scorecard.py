"""Composite scorecards after the OECD/JRC *Handbook on Constructing Composite Indicators* (2008):
normalise each indicator, weight, aggregate, and say how much the ranking depends on those choices.

A ranking is never shown without its range. ``sensitivity`` re-runs the composite under every
normalisation and aggregation offered and under weights drawn around the chosen ones, and reports
each country's best and worst rank and its 5th-95th percentile band (the Handbook's uncertainty and
sensitivity analysis, step 7). Everything here is a pure function of plain numbers; which
indicators feed a scorecard, and from which records, is ``scorecard_selectors``' job.

Choices and their defaults (docs/assessment.md):

* **normalisation**: ``min-max`` (default; 0 for the lowest country, 1 for the highest), ``z-score``
  (distance from the mean in standard deviations) or ``rank`` (0 lowest to 1 highest, ties sharing
  the mean of their places). An indicator where lower is better is turned round first.
* **aggregation**: ``arithmetic`` (default; the weighted mean, in which a high score on one
  indicator makes up for a low one) or ``geometric`` (the weighted geometric mean, which rewards
  balance). The geometric mean needs positive inputs, so each normalised indicator is first
  rescaled linearly to [1, 100] across the countries, as the Handbook suggests.
* **weights**: equal by default; any non-negative weights, scaled to sum to 1.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

Normalisation = Literal["min-max", "z-score", "rank"]
Aggregation = Literal["arithmetic", "geometric"]
NORMALISATIONS: tuple[Normalisation, ...] = ("min-max", "z-score", "rank")
AGGREGATIONS: tuple[Aggregation, ...] = ("arithmetic", "geometric")
#: The concentration of the Dirichlet distribution the sensitivity analysis draws weights from:
#: each weight varies by about +-40% of itself around the chosen one (for equal weights of four).
WEIGHT_CONCENTRATION = 20.0
#: Weight draws per (normalisation, aggregation) pair in the sensitivity analysis.
DRAWS = 200


class ScorecardError(ValueError):
    """A scorecard that cannot be built from its inputs (too few countries, bad weights)."""


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    higher_is_better: bool = True


@dataclass(frozen=True)
class RankRange:
    """A country's rank under the chosen configuration and across the sensitivity analysis."""

    rank: int
    best: int
    worst: int
    p05: int
    p95: int


def _matrix(values: Mapping[str, Mapping[str, float]], specs: Sequence[IndicatorSpec]) -> tuple[list[str], np.ndarray]:
    """Countries (sorted) by indicators, each column oriented so that higher is better."""
    countries = sorted(values)
    matrix = np.array([[values[c][spec.code] for spec in specs] for c in countries], dtype=np.float64)
    for column, spec in enumerate(specs):
        if not spec.higher_is_better:
            matrix[:, column] = -matrix[:, column]
    return countries, matrix


def normalise(matrix: np.ndarray, method: Normalisation) -> np.ndarray:
    """Each column normalised across the rows; a column with one value throughout scores 0.5 (or 0
    for ``z-score``): it does not tell the countries apart, so it moves no one."""
    result = np.empty_like(matrix)
    for column in range(matrix.shape[1]):
        x = matrix[:, column]
        if method == "rank":
            order = _average_ranks(x)
            result[:, column] = (order - 1) / (len(x) - 1)
            continue
        spread = x.max() - x.min()
        if spread == 0:
            result[:, column] = 0.0 if method == "z-score" else 0.5
        elif method == "min-max":
            result[:, column] = (x - x.min()) / spread
        else:
            result[:, column] = (x - x.mean()) / x.std()
    return result


def _average_ranks(x: np.ndarray) -> np.ndarray:
    """1 for the lowest value up to n for the highest, ties sharing the mean of their places."""
    order = np.argsort(x, kind="stable")
    ranks = np.empty(len(x))
    ranks[order] = np.arange(1, len(x) + 1)
    for value in np.unique(x):
        tied = x == value
        ranks[tied] = ranks[tied].mean()
    return ranks


def aggregate(normalised: np.ndarray, weights: np.ndarray, method: Aggregation) -> np.ndarray:
    """The composite of each row: the weighted arithmetic or geometric mean of its columns
    (``weights`` one vector, or one column of weights per run for many runs at once)."""
    if method == "arithmetic":
        return normalised @ weights
    low, high = normalised.min(axis=0), normalised.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    positive = 1.0 + 99.0 * (normalised - low) / span
    return np.exp(np.log(positive) @ weights)


def ranks_of(composite: np.ndarray) -> np.ndarray:
    """1 for the highest composite; ties share the best of their places (competition ranking).
    For a matrix (a column per run), the ranks of each column."""
    column = composite.reshape(len(composite), -1)
    higher = column[None, :, :] > column[:, None, :] + 1e-12
    ranks = 1 + higher.sum(axis=1)
    return ranks.reshape(composite.shape)


def checked_weights(weights: Sequence[float], count: int) -> np.ndarray:
    array = np.asarray(weights, dtype=np.float64)
    if array.shape != (count,) or not np.all(np.isfinite(array)) or np.any(array < 0) or array.sum() <= 0:
        raise ScorecardError(f"weights must be {count} non-negative numbers, not all zero")
    return array / array.sum()


@dataclass(frozen=True)
class Scorecard:
    countries: tuple[str, ...]
    composite: dict[str, float]
    ranks: dict[str, RankRange]
    normalisation: Normalisation
    aggregation: Aggregation
    weights: tuple[float, ...]
    runs: int


def scorecard(
    values: Mapping[str, Mapping[str, float]],
    specs: Sequence[IndicatorSpec],
    *,
    weights: Sequence[float] | None = None,
    normalisation: Normalisation = "min-max",
    aggregation: Aggregation = "arithmetic",
    draws: int = DRAWS,
    seed: int = 0,
) -> Scorecard:
    """The composite and rank of each country (every one with a value for every indicator), and
    its rank range across the sensitivity analysis (seeded, so a page shows the same range twice)."""
    if len(values) < 2:
        raise ScorecardError("a scorecard needs at least two countries with every indicator")
    chosen = checked_weights([1.0] * len(specs) if weights is None else weights, len(specs))
    countries, matrix = _matrix(values, specs)
    composite = aggregate(normalise(matrix, normalisation), chosen, aggregation)
    chosen_ranks = ranks_of(composite)
    rng = np.random.default_rng(seed)
    alpha = np.maximum(chosen * WEIGHT_CONCENTRATION * len(specs) / 4, 1e-3)
    runs = [chosen_ranks[None, :]]
    for method in NORMALISATIONS:
        normalised = normalise(matrix, method)
        drawn = np.column_stack([chosen, rng.dirichlet(alpha, size=draws).T])
        for how in AGGREGATIONS:
            runs.append(ranks_of(aggregate(normalised, drawn, how)).T)
    all_ranks = np.concatenate(runs)
    return Scorecard(
        tuple(countries),
        {country: float(composite[i]) for i, country in enumerate(countries)},
        {
            country: RankRange(
                int(chosen_ranks[i]),
                int(all_ranks[:, i].min()),
                int(all_ranks[:, i].max()),
                math.floor(np.percentile(all_ranks[:, i], 5)),
                math.ceil(np.percentile(all_ranks[:, i], 95)),
            )
            for i, country in enumerate(countries)
        },
        normalisation,
        aggregation,
        tuple(float(w) for w in chosen),
        int(all_ranks.shape[0]),
    )
