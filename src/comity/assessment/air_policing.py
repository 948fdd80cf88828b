"""Air-policing coverage: on how many days of a year a Baltic Air Policing detachment was on duty,
as the engagement records show it.

NATO's Baltic Air Policing mission polices the airspace of Estonia, Latvia and Lithuania from its
bases (Šiauliai from 2004; Ämari and, for a time, Malbork from 2014), so a day a detachment is on
duty at any of them is a covered day for all three states. The records are not all exact, and the
indicator says so rather than round their gaps away. Each day of the year is one of:

* ``recorded``: inside a detachment whose start and end the records give to the day;
* ``uncertain``: inside a detachment only known to the month (its first and last month may be
  partly uncovered), or the day a detachment with no recorded end began;
* ``unrecorded``: in no detachment of the records: a gap in the records, which is not proof of
  a gap in the policing (docs/assessment.md).

A pure function of plain records; which records a viewer may see is the caller's concern.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class DetachmentDates:
    key: str
    start: date | None
    end: date | None
    precision: str  # "day" or "month", for both dates of the record


@dataclass(frozen=True)
class YearCoverage:
    year: int
    days: int
    recorded: int
    uncertain: int
    unrecorded: int
    open_ended: tuple[str, ...]  # the keys of detachments with no recorded end

    @property
    def recorded_share(self) -> float:
        return self.recorded / self.days

    @property
    def known_share(self) -> float:
        """Recorded or uncertain: the most the records can support."""
        return (self.recorded + self.uncertain) / self.days


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _days(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def year_coverage(
    detachments: Iterable[DetachmentDates], year: int, *, first_day: date, last_day: date
) -> YearCoverage:
    """Coverage of the days of ``year`` between ``first_day`` and ``last_day`` (the mission's start,
    today): the year's other days are not counted at all."""
    begin, finish = max(date(year, 1, 1), first_day), min(date(year, 12, 31), last_day)
    if finish < begin:
        return YearCoverage(year, 0, 0, 0, 0, ())
    recorded: set[date] = set()
    uncertain: set[date] = set()
    open_ended = []
    for item in detachments:
        if item.start is None:
            continue
        if item.end is None:
            if begin <= item.start <= finish:
                uncertain.add(item.start)
                open_ended.append(item.key)
            continue
        # A date known to the month is stored as the month's first day: the detachment began some
        # day of its start month and ended some day of its end month, so both months are uncertain.
        latest_end = item.end if item.precision == "day" else _month_end(item.end)
        first, last = max(item.start, begin), min(latest_end, finish)
        if first > last:
            continue
        if item.precision == "day":
            recorded.update(_days(first, last))
            continue
        sure_first, sure_last = _month_end(item.start) + timedelta(days=1), item.end - timedelta(days=1)
        for day in _days(first, last):
            (recorded if sure_first <= day <= sure_last else uncertain).add(day)
    uncertain -= recorded
    days = (finish - begin).days + 1
    return YearCoverage(
        year, days, len(recorded), len(uncertain), days - len(recorded) - len(uncertain), tuple(sorted(open_ended))
    )
