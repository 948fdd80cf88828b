"""The political-cohesion measures as pure functions: hand-computed cases, and the matrix form
held equal to the one-pair form on generated vote matrices."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from comity.assessment.cohesion import (
    ABSENT,
    VOTE_CODES,
    YearVotes,
    agreement_and_kappa,
    group_cohesion,
    pair_scores,
    pairs_among,
    pairwise,
)

YES, ABSTAIN, NO = VOTE_CODES["yes"], VOTE_CODES["abstain"], VOTE_CODES["no"]


def test_agreement_and_kappa_by_hand() -> None:
    # Both voted in the first three roll calls: alike in two. Shares: first 2/3 yes, 1/3 no;
    # second 1/3 yes, 2/3 no; chance agreement 2/9 + 2/9 = 4/9; kappa (2/3 - 4/9) / (5/9) = 0.4.
    first = np.array([YES, YES, NO, ABSTAIN], dtype=np.int8)
    second = np.array([YES, NO, NO, ABSENT], dtype=np.int8)
    votes, agreement, kappa = agreement_and_kappa(first, second)
    assert votes == 3
    assert agreement == pytest.approx(2 / 3)
    assert kappa == pytest.approx(0.4)


def test_kappa_is_undefined_when_chance_agreement_is_certain() -> None:
    always_yes = np.full(5, YES, dtype=np.int8)
    assert agreement_and_kappa(always_yes, always_yes) == (5, 1.0, None)


def test_opposite_votes_score_below_chance() -> None:
    first = np.array([YES, NO, YES, NO], dtype=np.int8)
    votes, agreement, kappa = agreement_and_kappa(first, NO - first)
    assert (votes, agreement) == (4, 0.0)
    assert kappa is not None and kappa < 0


def test_no_shared_vote_scores_none_never_zero() -> None:
    first = np.array([YES, ABSENT], dtype=np.int8)
    second = np.array([ABSENT, NO], dtype=np.int8)
    assert agreement_and_kappa(first, second) == (0, None, None)
    year = YearVotes(2001, ("AAA", "BBB"), np.stack([first, second]))
    [score] = pair_scores(year, [("AAA", "BBB")])
    assert (score.votes, score.agreement, score.kappa) == (0, None, None)
    assert group_cohesion([score]).agreement is None


def test_a_state_that_cast_no_vote_scores_none() -> None:
    year = YearVotes(2001, ("AAA",), np.array([[YES]], dtype=np.int8))
    [score] = pair_scores(year, [("AAA", "ZZZ")], {"AAA": 1.0, "ZZZ": -0.5})
    assert (score.votes, score.agreement) == (0, None)
    assert score.idealpoint_distance == pytest.approx(1.5)


def test_pairs_among_lists_each_unordered_pair_once() -> None:
    assert pairs_among(["A", "B", "C"]) == [("A", "B"), ("A", "C"), ("B", "C")]


vote_matrices = st.integers(2, 6).flatmap(
    lambda rows: st.integers(1, 25).flatmap(
        lambda columns: arrays(np.int8, (rows, columns), elements=st.sampled_from([ABSENT, YES, ABSTAIN, NO]))
    )
)


@settings(max_examples=150, deadline=None)
@given(vote_matrices)
def test_pairwise_equals_the_one_pair_form(matrix: np.ndarray) -> None:
    computed = pairwise(matrix)
    for i in range(len(matrix)):
        for j in range(len(matrix)):
            votes, agreement, kappa = agreement_and_kappa(matrix[i], matrix[j])
            assert computed.votes[i, j] == votes
            if agreement is None:
                assert math.isnan(computed.agreement[i, j])
            else:
                assert computed.agreement[i, j] == pytest.approx(agreement)
            if kappa is None:
                assert math.isnan(computed.kappa[i, j])
            else:
                assert computed.kappa[i, j] == pytest.approx(kappa, abs=1e-9)
                assert -1.0 - 1e-9 <= kappa <= 1.0 + 1e-9
