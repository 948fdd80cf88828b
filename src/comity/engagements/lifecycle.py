"""The engagement lifecycle as an explicit state machine.

A plain transition table rather than a state-machine library: seven states, one rule ("this
move is allowed from that state"), and the table doubles as documentation and as the source of
the buttons a page offers.
"""

from __future__ import annotations

import calendar
from datetime import date

from comity.engagements.choices import Status

TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.PROPOSED: (Status.PLANNED, Status.CANCELLED),
    Status.PLANNED: (Status.APPROVED, Status.CANCELLED),
    Status.APPROVED: (Status.ONGOING, Status.CANCELLED),
    Status.ONGOING: (Status.COMPLETED, Status.CANCELLED),
    Status.COMPLETED: (Status.ASSESSED,),
    Status.ASSESSED: (),
    Status.CANCELLED: (),
}


class TransitionError(ValueError):
    """A lifecycle move that is not allowed from the engagement's current state."""


def allowed_from(status: str) -> tuple[str, ...]:
    """The states an engagement in ``status`` may move to."""
    return TRANSITIONS.get(status, ())


def check_transition(current: str, target: str) -> None:
    """Raise ``TransitionError`` in words a planner understands when the move is not allowed."""
    if target not in TRANSITIONS:
        raise TransitionError(f"unknown status {target!r}; statuses are {', '.join(TRANSITIONS)}")
    if target not in allowed_from(current):
        options = ", ".join(allowed_from(current)) or "nothing (it is final)"
        raise TransitionError(f"an engagement that is {current} cannot become {target}; it can become {options}")


def last_day(day: date, precision: str) -> date:
    """The last day a date can mean: itself, or the end of its month at month precision."""
    if precision == "month":
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day


def check_timing(target: str, *, start: date | None, end: date | None, precision: str, today: date) -> None:
    """Refuse moves the calendar does not allow yet: ``ongoing`` before the start, ``completed``
    before the end (a month-precision end means the last day of that month)."""
    if target == Status.ONGOING and start is not None and today < start:
        raise TransitionError(f"it cannot be ongoing before it starts ({start})")
    if target == Status.COMPLETED:
        finish = end or start
        if finish is not None and today < last_day(finish, precision):
            raise TransitionError(f"it cannot be completed before it ends ({last_day(finish, precision)})")


#: The refusal of a move to ``assessed`` without a report: the same words whether there is no
#: report or only one the mover may not read, so the answer never confirms a hidden report.
REPORT_NEEDED = (
    "an engagement becomes assessed on its after-action report: write the report first (one you may read must exist)"
)


def check_report(target: str, *, has_report: bool) -> None:
    """Refuse ``assessed`` until the engagement has an after-action report the mover may read.

    Assessment is the judgement the report records; an engagement marked assessed without one
    would say it had been judged when nothing says how.
    """
    if target == Status.ASSESSED and not has_report:
        raise TransitionError(REPORT_NEEDED)
