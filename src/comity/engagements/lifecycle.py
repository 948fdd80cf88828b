"""The engagement lifecycle as an explicit state machine.

A plain transition table rather than a state-machine library: seven states, one rule ("this
move is allowed from that state"), and the table doubles as documentation and as the source of
the buttons a page offers.
"""

from __future__ import annotations

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
