"""Political cohesion from UN General Assembly roll calls: how often two states vote alike.

Two measures per pair of states and year, over the roll calls in which both cast a vote (yes,
abstain or no; an absence is not a vote and is left out):

* **agreement**, the share of those roll calls in which the two voted the same way;
* **Cohen's kappa**, the same agreement corrected for the agreement that two states voting at
  random with their own shares of yes, abstain and no would reach by chance. Most UN votes are
  large yes majorities, so two states that both vote yes nine times in ten agree 81% of the time
  by chance alone: the raw share flatters every pair, and kappa does not. Kappa is undefined (None)
  when chance agreement is certain (both always cast the same single vote).

A third, from the shipped ideal points of Bailey, Strezhnev & Voeten (2017): the **ideal-point
distance**, the absolute difference of two states' estimated positions in a year.

Pure functions over plain arrays: the reading of the shipped files is ``un_votes_files``, the
choice of states (the Allies of a year, from the registry) ``cohesion_selectors``. ``pairwise``
computes every pair of a group at once with matrix products (a page draws twenty years of thirty
Allies); ``agreement_and_kappa`` is the same measure written out for one pair, and a property test
holds the two equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean

import numpy as np

#: The vote codes in a country's row of a year's vote matrix; ``ABSENT`` marks no vote cast.
VOTE_CODES = {"yes": 0, "abstain": 1, "no": 2}
ABSENT = -1


@dataclass(frozen=True)
class PairScore:
    """The cohesion of two states in one year, over the ``votes`` roll calls both voted in."""

    first: str
    second: str
    votes: int
    agreement: float | None
    kappa: float | None
    idealpoint_distance: float | None


@dataclass(frozen=True)
class YearVotes:
    """One year's roll calls as a matrix: a row of vote codes per voter, a column per roll call."""

    year: int
    voters: tuple[str, ...]
    matrix: np.ndarray

    def row(self, voter: str) -> np.ndarray | None:
        try:
            return self.matrix[self.voters.index(voter)]
        except ValueError:
            return None


def agreement_and_kappa(first: np.ndarray, second: np.ndarray) -> tuple[int, float | None, float | None]:
    """(roll calls both voted in, share agreeing, Cohen's kappa) of two rows of vote codes."""
    both = (first != ABSENT) & (second != ABSENT)
    votes = int(both.sum())
    if votes == 0:
        return 0, None, None
    a, b = first[both], second[both]
    observed = float(np.mean(a == b))
    shares_a = np.bincount(a, minlength=len(VOTE_CODES)) / votes
    shares_b = np.bincount(b, minlength=len(VOTE_CODES)) / votes
    chance = float(np.dot(shares_a, shares_b))
    kappa = None if chance >= 1.0 else (observed - chance) / (1.0 - chance)
    return votes, observed, kappa


@dataclass(frozen=True)
class Pairwise:
    """``agreement_and_kappa`` of every pair of rows of a vote matrix, as square matrices: ``votes``
    (roll calls both voted in), ``agreement`` and ``kappa`` (NaN where undefined)."""

    votes: np.ndarray
    agreement: np.ndarray
    kappa: np.ndarray


def pairwise(matrix: np.ndarray) -> Pairwise:
    """Every pair of rows at once: with one 0/1 matrix per vote code, the products count the roll
    calls both voted in, those voted alike, and each side's votes of each code over the shared ones."""
    voted = (matrix != ABSENT).astype(np.float64)
    by_code = [(matrix == code).astype(np.float64) for code in VOTE_CODES.values()]
    votes = voted @ voted.T
    alike = sum(x @ x.T for x in by_code)
    with np.errstate(divide="ignore", invalid="ignore"):
        agreement = alike / votes
        chance = sum((x @ voted.T) * (voted @ x.T) for x in by_code) / (votes * votes)
        kappa = np.where(chance < 1.0, (agreement - chance) / (1.0 - chance), np.nan)
    return Pairwise(votes.astype(np.int64), agreement, kappa)


def _defined(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def pair_scores(
    year_votes: YearVotes, pairs: Iterable[tuple[str, str]], idealpoints: Mapping[str, float] | None = None
) -> list[PairScore]:
    """The cohesion of each pair in ``year_votes``' year; a state that cast no vote scores None."""
    pairs = list(pairs)
    states = sorted({state for pair in pairs for state in pair if year_votes.row(state) is not None})
    index = {state: i for i, state in enumerate(states)}
    computed = pairwise(np.stack([year_votes.row(state) for state in states])) if states else None
    points = idealpoints or {}
    scores = []
    for first, second in pairs:
        distance = abs(points[first] - points[second]) if first in points and second in points else None
        i, j = index.get(first), index.get(second)
        if computed is None or i is None or j is None or not computed.votes[i, j]:
            scores.append(PairScore(first, second, 0, None, None, distance))
            continue
        scores.append(
            PairScore(
                first,
                second,
                int(computed.votes[i, j]),
                _defined(computed.agreement[i, j]),
                _defined(computed.kappa[i, j]),
                distance,
            )
        )
    return scores


def pairs_among(states: Sequence[str]) -> list[tuple[str, str]]:
    """Every unordered pair of ``states`` once, in the order given (agreement is symmetric)."""
    return [(a, b) for i, a in enumerate(states) for b in states[i + 1 :]]


def mean_of(values: Iterable[float | None]) -> float | None:
    """The mean of the defined values; None when none is defined (never a zero for no data)."""
    defined = [value for value in values if value is not None]
    return fmean(defined) if defined else None


@dataclass(frozen=True)
class GroupCohesion:
    """The mean agreement and kappa over the pairs of a group of states (or of two groups)."""

    pairs: int
    agreement: float | None
    kappa: float | None


def group_cohesion(scores: Iterable[PairScore]) -> GroupCohesion:
    scored = [score for score in scores if score.votes]
    return GroupCohesion(len(scored), mean_of(s.agreement for s in scored), mean_of(s.kappa for s in scored))
