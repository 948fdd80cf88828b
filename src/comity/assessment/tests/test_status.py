"""The status rule (``assessment.status.objective_status``): worked examples, and properties
over random indicators: a better value never worsens the status, the rule reads a falling
target as the mirror of a rising one, a value at the target is on track, time only raises the bar."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from comity.assessment.choices import ProgressStatus
from comity.assessment.status import TOLERANCE, Point, expected_value, objective_status

ON, RISK, OFF, NONE = (
    ProgressStatus.ON_TRACK,
    ProgressStatus.AT_RISK,
    ProgressStatus.OFF_TRACK,
    ProgressStatus.NO_DATA,
)
RANK = {OFF: 0, RISK: 1, ON: 2}
START, DUE = date(2020, 1, 1), date(2030, 1, 1)
HALF = date(2025, 1, 1)  # 1827 of 3653 days: just over half-way


def _status(baseline: float, target: float, values: list[tuple[date, float]], today: date = HALF) -> ProgressStatus:
    return objective_status(baseline, target, DUE, [Point(d, v) for d, v in values], today).status


def test_worked_examples() -> None:
    # Half-way from 0 to 100, the line expects about 50.
    assert _status(0, 100, [(START, 0), (HALF, 50.1)]) is ON
    assert _status(0, 100, [(START, 0), (HALF, 45)]) is RISK  # short by 5, within 10 of the distance 100
    assert _status(0, 100, [(START, 0), (HALF, 39)]) is OFF
    # A falling target: from 100 incidents down to 0; 45 by half-way is ahead of the line.
    assert _status(100, 0, [(START, 100), (HALF, 45)]) is ON
    assert _status(100, 0, [(START, 100), (HALF, 61)]) is OFF
    # After the due date the line is held at the target.
    assert _status(0, 100, [(START, 0), (HALF, 99)], today=date(2031, 1, 1)) is RISK
    assert _status(0, 100, [(START, 0), (HALF, 100)], today=date(2031, 1, 1)) is ON


def test_no_data() -> None:
    assert objective_status(0, 100, DUE, [], HALF).status is NONE
    assert objective_status(None, 100, DUE, [Point(START, 1)], HALF).status is NONE
    assert objective_status(0, None, DUE, [Point(START, 1)], HALF).status is NONE
    assert objective_status(0, 100, None, [Point(START, 1)], HALF).status is NONE
    # A measurement dated after today is a forecast: it does not count.
    assert objective_status(0, 100, DUE, [Point(date(2026, 1, 1), 90)], HALF).status is NONE


def test_the_latest_measurement_decides_not_the_best() -> None:
    assert _status(0, 100, [(START, 0), (date(2024, 1, 1), 90), (HALF, 10)]) is OFF


def test_the_line_starts_at_the_first_measurement() -> None:
    assert expected_value(0, 100, START, DUE, START) == 0
    assert expected_value(0, 100, START, DUE, DUE) == 100
    assert expected_value(0, 100, START, START, START) == 100  # due on the first day: the target at once
    assert expected_value(0, 100, START, DUE, date(2019, 1, 1)) == 0


def test_equal_baseline_and_target_means_hold_it() -> None:
    assert _status(5, 5, [(START, 5)]) is ON
    assert _status(5, 5, [(START, 6)]) is ON
    assert _status(5, 5, [(START, 4.999)]) is OFF


MAGNITUDE = 1e9
numbers = st.floats(min_value=-MAGNITUDE, max_value=MAGNITUDE, allow_nan=False, allow_infinity=False)
days = st.integers(min_value=0, max_value=5000).map(lambda n: START + timedelta(days=n))


@st.composite
def indicators(draw: st.DrawFn) -> tuple[float, float, date, list[Point], date]:
    baseline, target = draw(numbers), draw(numbers)
    due = draw(days)
    points = draw(st.lists(st.tuples(days, numbers), min_size=1, max_size=6))
    today = draw(days)
    return baseline, target, due, [Point(d, v) for d, v in points], today


def _latest(points: list[Point], today: date) -> Point | None:
    counted = sorted((p for p in points if p.day <= today), key=lambda p: p.day)
    return counted[-1] if counted else None


def _with_latest(points: list[Point], latest: Point, value: float) -> list[Point]:
    return [Point(p.day, value) if p is latest else p for p in points]


@given(indicators(), st.floats(min_value=0, max_value=MAGNITUDE))
def test_a_better_latest_value_never_worsens_the_status(case: tuple, better: float) -> None:
    baseline, target, due, points, today = case
    latest = _latest(points, today)
    before = objective_status(baseline, target, due, points, today)
    if latest is None:
        assert before.status is NONE
        return
    direction = 1 if target >= baseline else -1
    improved = _with_latest(points, latest, latest.value + direction * better)
    after = objective_status(baseline, target, due, improved, today)
    assert RANK[after.status] >= RANK[before.status]


@given(indicators())
def test_a_falling_target_is_the_mirror_of_a_rising_one(case: tuple) -> None:
    baseline, target, due, points, today = case
    if baseline == target:
        return  # holding a level has one direction (at or above it), documented in the rule
    mirrored = [Point(p.day, -p.value) for p in points]
    assert (
        objective_status(baseline, target, due, points, today).status
        is objective_status(-baseline, -target, due, mirrored, today).status
    )


@given(indicators(), st.floats(min_value=0, max_value=MAGNITUDE))
def test_a_value_at_or_beyond_the_target_is_on_track(case: tuple, beyond: float) -> None:
    baseline, target, due, points, today = case
    latest = _latest(points, today)
    if latest is None:
        return
    direction = 1 if target >= baseline else -1
    reached = _with_latest(points, latest, target + direction * beyond)
    assert objective_status(baseline, target, due, reached, today).status is ON


@given(indicators(), st.integers(min_value=1, max_value=4000))
def test_time_only_raises_the_bar(case: tuple, later: int) -> None:
    """The same measurements judged on a later day are never judged better."""
    baseline, target, due, points, today = case
    points = [p for p in points if p.day <= today]  # no measurement arrives in between
    now = objective_status(baseline, target, due, points, today)
    then = objective_status(baseline, target, due, points, today + timedelta(days=later))
    if now.status is not NONE:
        assert RANK[then.status] <= RANK[now.status]


@given(indicators())
def test_at_risk_is_within_the_tolerance(case: tuple) -> None:
    baseline, target, due, points, today = case
    progress = objective_status(baseline, target, due, points, today)
    if progress.status is RISK:
        assert progress.gap is not None and -TOLERANCE * abs(target - baseline) <= progress.gap < 0
    if progress.status is OFF:
        assert progress.gap is not None and progress.gap < -TOLERANCE * abs(target - baseline)
