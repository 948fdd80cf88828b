"""The days a record covers, at its source's precision.

A month-precision date is stored as the first of its month, but it means the whole month: a record
that "ended 2021-06" ran until 30 June, not 1 June. Every export, calendar cell and deadline asks
this module for the days a record covers rather than reading ``start_date``/``end_date`` raw.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from comity.engagements.lifecycle import last_day


class Dated(Protocol):
    start_date: date | None
    end_date: date | None
    date_precision: str


def covered(record: Dated) -> tuple[date, date] | None:
    """The first and last day a record covers (both inclusive), or ``None`` without a start.

    Day precision: start to end (or the start alone). Month precision: from the first day of the
    start month to the last day of the end month (or of the start month when there is no end).
    """
    if record.start_date is None:
        return None
    return record.start_date, last_day(record.end_date or record.start_date, record.date_precision)
