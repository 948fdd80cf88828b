"""Greedy calendar baseline for the benchmark: most valuable exercises first, nearest free week.

Mandatory exercises go first, then by priority (highest first), then longer and larger exercises
(harder to fit later), then id. Each takes the allowed start week closest to its preferred week
(earliest first on ties) where personnel caps, an area and precedences with already placed
exercises all leave room, or stays out. It never moves a placed exercise.
"""

from __future__ import annotations

from typing import Any

from comity.planning.solvers.calendar_model import CalendarProblem, Exercise, start_rules
from comity.planning.solvers.calendar_report import plan_output
from comity.planning.solvers.calendar_usage import Usage


def greedy_placement(problem: CalendarProblem) -> Usage:
    usage = Usage(problem)

    def order(ex: Exercise) -> tuple[bool, int, int, int, str]:
        return (ex.optional, -ex.priority, -ex.duration_weeks, -ex.troops, ex.id)

    for ex in sorted(problem.exercises, key=order):
        starts = sorted(start_rules(problem, ex).allowed, key=lambda s, ex=ex: (ex.deviation(s), s))
        for start in starts:
            if not usage.blockers(ex, start):
                usage.place(ex, start, usage.free_area(ex, start))
                break
    return usage


def greedy_calendar(problem: CalendarProblem) -> dict[str, Any]:
    """A plan in the solver's output shape: FEASIBLE, or FAILED if a mandatory exercise stays out."""
    usage = greedy_placement(problem)
    missing = [x.id for x in problem.exercises if not x.optional and x.id not in usage.placed]
    status = "FAILED" if missing else "FEASIBLE"
    notes = ["Greedy baseline; no optimality claim."]
    if missing:
        notes.append("Greedy could not place mandatory exercise(s): " + ", ".join(missing) + ".")
    return plan_output(problem, usage, status, notes)
