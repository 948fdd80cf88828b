"""The status a shipped historical record takes from its dates when it loads.

The shipped files record what happened, years ago for most rows, and say nothing of status; a
2017 exercise shown as ``planned`` or a 2015 air-policing rotation shown as ``ongoing`` would be
plainly wrong. The rule (docs/engagements.md, "Statuses that follow the calendar") uses only the
sourced dates and the order of the rotations; it writes no date that no source gives, except a
rotation's end taken from its successor's start, which the record's notes then say. Pure
functions of dates, so the rule is tested without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from comity.engagements.choices import Status
from comity.engagements.lifecycle import last_day

#: No exercise or air-policing rotation lasts a year (the longest with both dates in the shipped
#: data: Steadfast Defender 2024, 128 days; the 2011 French rotation, 154 days). One that started
#: more than this before today is over, even where no source gives its end.
LONGEST_TERM = timedelta(days=366)
#: A rotation's successor starts within six months of it (rotations last about four months). A
#: later start means rotations in between are missing from the data (SOURCES.md lists the gaps),
#: so the successor's start would not be this rotation's end.
SUCCESSOR_WITHIN = timedelta(days=183)


def _precision(*precisions: str) -> str:
    return "month" if "month" in precisions else "day"


def status_from_dates(
    *, start: date | None, end: date | None, precision: str, today: date, bounded: bool
) -> str | None:
    """Completed once the end (its last possible day) is past; ongoing from the start; else planned.

    ``bounded`` records (exercises, rotations) without an end are completed once ``LONGEST_TERM``
    has passed since their start; open-ended presence (a battlegroup, a standing measure) stays
    ongoing. ``None`` when the record has no dates, so the dates say nothing.
    """
    if end is not None:
        if last_day(end, precision) < today:
            return Status.COMPLETED
        return Status.ONGOING if start is not None and start <= today else Status.PLANNED
    if start is None:
        return None
    if start > today:
        return Status.PLANNED
    if bounded and last_day(start, precision) + LONGEST_TERM < today:
        return Status.COMPLETED
    return Status.ONGOING


@dataclass(frozen=True)
class Detachment:
    """One row of the air-policing file: a rotation at one base, dates as the source gives them."""

    rotation: str
    base: str
    start: date | None
    start_precision: str
    end: date | None
    end_precision: str


@dataclass(frozen=True)
class Settled:
    """A detachment's end, precision and status as loaded; ``successor`` names the rotation whose
    start gave the end, when no source gave it."""

    end: date | None
    precision: str
    status: str | None
    successor: str | None = None


def _begun(row: Detachment, today: date) -> bool:
    """Whether a detachment had begun by ``today``: its start, or failing that its end, is past."""
    first = row.start or row.end
    return first is not None and first <= today


def settle_rotations(rows: Sequence[Detachment], today: date) -> list[Settled]:
    """End and status of every detachment; ``rows`` are in the file's (chronological) order.

    A rotation's successor is the next rotation of the mission; at one base, its end is the
    successor's start at that base when no source gives the end, the rotation's own start is
    known, and the successor starts within ``SUCCESSOR_WITHIN`` of it. A rotation that a later one
    has followed (started by today) is completed, even where its end stays unknown.
    """
    order = list(dict.fromkeys(row.rotation for row in rows))
    rank = {rotation: index for index, rotation in enumerate(order)}
    starts = {(row.rotation, row.base): (row.start, row.start_precision) for row in rows if row.start is not None}
    # The rank of the latest rotation that has begun: every rotation before it has been followed.
    latest_begun = max((rank[row.rotation] for row in rows if _begun(row, today)), default=-1)
    settled = []
    for row in rows:
        end, end_precision, successor = row.end, row.end_precision, None
        following = order[rank[row.rotation] + 1] if rank[row.rotation] + 1 < len(order) else None
        if end is None and row.start is not None and (following, row.base) in starts:
            next_start, next_precision = starts[(following, row.base)]
            if row.start < next_start <= row.start + SUCCESSOR_WITHIN:
                end, end_precision, successor = next_start, next_precision, following
        precision = _precision(row.start_precision, end_precision)
        status = status_from_dates(start=row.start, end=end, precision=precision, today=today, bounded=True)
        if end is None and rank[row.rotation] < latest_begun:
            status = Status.COMPLETED
        settled.append(Settled(end=end, precision=precision, status=status, successor=successor))
    return settled
