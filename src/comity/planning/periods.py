"""The dates of a rotation plan's periods, read from its input: pure, so the solver stays pure too.

The rotation solver only orders periods; it needs no dates. A saved plan does: its records must
show in the calendar, the timeline and the iCalendar feed. The input states them in one of two
ways (docs/planning.md, "Period dates"):

* ``period_dates``: each period's first and last day, ``{"2027-1": {"start": "2027-01-01",
  "end": "2027-04-30"}, ...}``;
* ``calendar_start`` and ``period_months``: the first period starts on ``calendar_start`` and each
  lasts ``period_months`` calendar months, the next starting the day after (a start on the 29th
  to the 31st moves to the last day of a shorter month).

Periods follow one another in the listed order without overlapping, since the solver's gap rule
counts periods in that order. Every day lies in the years the month calendar shows.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from comity.engagements.page_params import CALENDAR_YEARS
from comity.planning.solvers.fields import Fields, InputError

#: The first and last day a period may have: those of the years the month calendar can show.
FIRST_DAY, LAST_DAY = date(CALENDAR_YEARS[0], 1, 1), date(CALENDAR_YEARS[1], 12, 31)
#: The longest period ``period_months`` may give (an air-policing rotation lasts about four months).
MAX_PERIOD_MONTHS = 24
#: The keys that give the periods dates; an input with none of them has no dates.
DATE_KEYS = ("period_dates", "calendar_start", "period_months")


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, on the month's last day where it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def has_dates(data: Any) -> bool:
    """Whether the input states dates for its periods (rightly or not)."""
    return isinstance(data, dict) and any(key in data for key in DATE_KEYS)


def period_dates(data: Any) -> dict[str, tuple[date, date]]:
    """Each period's first and last day; ``InputError`` names every bad or missing field."""
    fields = Fields()
    root = fields.obj(data, "input")
    periods = [p.strip() for p in root.get("periods", []) if isinstance(p, str)] if isinstance(root, dict) else []
    if "period_dates" in root:
        if "calendar_start" in root or "period_months" in root:
            fields.error("period_dates", "and calendar_start with period_months are two ways to give dates; use one")
        spans = _explicit(fields, root, periods)
    elif "calendar_start" in root or "period_months" in root:
        spans = _regular(fields, root, periods)
    else:
        fields.error("period_dates", "is required to save a plan (or calendar_start and period_months)")
        spans = {}
    previous: tuple[str, date] | None = None
    for period in periods:
        if period not in spans:
            continue
        start, end = spans[period]
        if previous is not None and start <= previous[1]:
            fields.error(f"period_dates.{period}", f"must start after period {previous[0]} ends ({previous[1]})")
        previous = (period, end)
    fields.raise_if_any()
    return spans


def _within(fields: Fields, path: str, day: date) -> bool:
    if FIRST_DAY <= day <= LAST_DAY:
        return True
    fields.error(path, f"must be a day from {FIRST_DAY} to {LAST_DAY}")
    return False


def _explicit(fields: Fields, root: dict[str, Any], periods: list[str]) -> dict[str, tuple[date, date]]:
    raw = fields.obj(root["period_dates"], "period_dates")
    spans = {}
    for name in raw:
        if name not in periods:
            fields.error(f"period_dates.{name}", "is not one of the listed periods")
    for period in periods:
        path = f"period_dates.{period}"
        if period not in raw:
            fields.error(path, "is required: every period needs its dates")
            continue
        span = fields.obj(raw[period], path)
        start, end = fields.day(span, "start", path), fields.day(span, "end", path)
        if f"{path}.start" in fields.errors or f"{path}.end" in fields.errors:
            continue
        inside = [_within(fields, f"{path}.start", start), _within(fields, f"{path}.end", end)]
        if all(inside) and end < start:
            fields.error(f"{path}.end", f"must not be before the start ({start})")
        elif all(inside):
            spans[period] = (start, end)
    return spans


def _regular(fields: Fields, root: dict[str, Any], periods: list[str]) -> dict[str, tuple[date, date]]:
    start = fields.day(root, "calendar_start", "")
    months = fields.integer(root, "period_months", "", maximum=MAX_PERIOD_MONTHS)
    if fields.errors or not _within(fields, "calendar_start", start):
        return {}
    # The last period ends the day before add_months(start, months * len(periods)), which must
    # not come after the day after LAST_DAY (a date checked here in months, never built).
    after = LAST_DAY + timedelta(days=1)
    room = (after.year * 12 + after.month) - (start.year * 12 + start.month) - (start.day > after.day)
    if months * len(periods) > room:
        fields.error("period_months", f"puts the last period after {LAST_DAY}")
        return {}
    return {
        period: (add_months(start, months * i), add_months(start, months * (i + 1)) - timedelta(days=1))
        for i, period in enumerate(periods)
    }


__all__ = ["InputError", "add_months", "has_dates", "period_dates"]
