"""Laying records out on a month calendar: one bar per record per week row, in lanes.

A record that runs several days is one bar across its days, split only where a week row ends
(the piece in the next row says it continues). Pure functions of dates, so the layout is tested
without a database and the template only places what it is given.
"""

from __future__ import annotations

import calendar as calendar_module
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Bar(Generic[T]):
    """The part of one record inside one week row.

    ``column`` is the first day's column (1 = Monday) and ``span`` the number of days; ``lane``
    is the row under the day numbers (0 = the first). ``before``/``after`` say the record runs on
    past the row's first or last day, so the bar is drawn with an open end.
    """

    item: T
    start: date
    end: date
    column: int
    span: int
    lane: int
    before: bool
    after: bool


@dataclass(frozen=True)
class Week(Generic[T]):
    days: list[date]
    bars: list[Bar[T]]
    lanes: int


def month_weeks(year: int, month: int) -> list[list[date]]:
    """The whole weeks (Monday to Sunday) that a month touches."""
    return calendar_module.Calendar().monthdatescalendar(year, month)


def week_rows(weeks: Sequence[Sequence[date]], items: Sequence[tuple[T, date, date]]) -> list[Week[T]]:
    """Place ``(item, first day, last day)`` records on the given week rows.

    Within a row, longer and earlier bars take the upper lanes; each bar takes the first lane
    that is free over all its days, so bars never overlap and the rows stay as low as they can.
    """
    ordered = sorted(items, key=lambda entry: (entry[1], -(entry[2] - entry[1]).days))
    rows = []
    for week in weeks:
        first, last = week[0], week[-1]
        pieces = []
        for item, start, end in ordered:
            if end < first or start > last:
                continue
            left, right = max(start, first), min(end, last)
            pieces.append((item, start, end, (left - first).days + 1, (right - left).days + 1))
        pieces.sort(key=lambda piece: (piece[3], -piece[4]))
        taken: list[set[int]] = []
        bars = []
        for item, start, end, column, span in pieces:
            days = set(range(column, column + span))
            lane = next((n for n, used in enumerate(taken) if not used & days), len(taken))
            if lane == len(taken):
                taken.append(set())
            taken[lane] |= days
            bars.append(Bar(item, start, end, column, span, lane, start < first, end > last))
        rows.append(Week(list(week), bars, len(taken)))
    return rows


def busy_days(items: Sequence[tuple[T, date, date]], first: date, last: date) -> dict[date, int]:
    """How many of the records run on each day from ``first`` to ``last`` (days with none left out)."""
    counts: dict[date, int] = {}
    for _item, start, end in items:
        day = max(start, first)
        while day <= min(end, last):
            counts[day] = counts.get(day, 0) + 1
            day = date.fromordinal(day.toordinal() + 1)
    return counts
