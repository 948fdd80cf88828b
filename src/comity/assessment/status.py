"""The status rule of an indicator: on track, at risk, off track or no data (a pure function).

The rule, written out (docs/assessment.md, "Objectives and AM&E", says the same):

1. Only measurements dated on or before ``today`` count; a later one is a forecast, not a fact.
   With no baseline, no target, no due date or no measurement that counts, the answer is
   **no data**.
2. The **direction** is up when the target is at or above the baseline, down when it is below
   (fewer incidents, shorter response times).
3. The **expected value** on ``today`` is the line from the baseline on the date of the first
   measurement to the target on the due date, held at the target after the due date (and at the
   target when the due date is not after the first measurement).
4. The **gap** is how far the latest measurement (the one with the latest date) is beyond the
   expected value in the direction of the target; it is negative when it falls short.
5. **On track** when the gap is zero or more; **at risk** when it falls short by at most
   ``TOLERANCE`` (10%) of the distance from baseline to target; **off track** otherwise.
   When the baseline equals the target there is no distance: on track at or above it, else off track.

So a figure is judged against what should have been reached by today, not by the day it was
measured: a measurement left unrenewed slips from on track to at risk as the line climbs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from comity.assessment.choices import ProgressStatus

#: How far short of the expected value (a share of the distance from baseline to target) is
#: still "at risk" rather than "off track".
TOLERANCE = 0.10


@dataclass(frozen=True, slots=True)
class Point:
    """One measurement as the rule reads it: its date and value."""

    day: date
    value: float


@dataclass(frozen=True, slots=True)
class Progress:
    """The rule's answer with the numbers behind it (None where there is no data)."""

    status: ProgressStatus
    expected: float | None = None
    latest: Point | None = None
    gap: float | None = None


NO_DATA = Progress(ProgressStatus.NO_DATA)


def expected_value(baseline: float, target: float, start: date, due: date, on: date) -> float:
    """The straight line from ``baseline`` on ``start`` to ``target`` on ``due``, held at both ends."""
    if due <= start or on >= due:
        return target
    if on <= start:
        return baseline
    share = (on - start).days / (due - start).days
    line = baseline + (target - baseline) * share
    return min(max(line, min(baseline, target)), max(baseline, target))  # no rounding past either end


def objective_status(
    baseline: float | None,
    target: float | None,
    due: date | None,
    measurements: Iterable[Point],
    today: date,
) -> Progress:
    """The status of an indicator on ``today`` from the measurements given (see the module's rule).

    The caller passes only what the viewer may see (``assessment.selectors``), so the answer is
    the figure computed from those records.
    """
    counted = sorted((p for p in measurements if p.day <= today), key=lambda p: p.day)
    if baseline is None or target is None or due is None or not counted:
        return NO_DATA
    first, latest = counted[0], counted[-1]
    expected = expected_value(baseline, target, first.day, due, today)
    direction = 1.0 if target >= baseline else -1.0
    gap = direction * (latest.value - expected)
    if gap >= 0:
        status = ProgressStatus.ON_TRACK
    elif gap >= -TOLERANCE * abs(target - baseline):
        status = ProgressStatus.AT_RISK
    else:
        status = ProgressStatus.OFF_TRACK
    return Progress(status, expected=expected, latest=latest, gap=gap)
