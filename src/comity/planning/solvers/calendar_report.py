"""The calendar output contract, built the same way for CP-SAT and greedy plans."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from comity.engagements import vienna
from comity.planning.solvers.calendar_model import CalendarProblem
from comity.planning.solvers.calendar_usage import Usage


def objective(problem: CalendarProblem, usage: Usage) -> int:
    return sum(problem.exercise(ex_id).value(start) for ex_id, (start, _) in usage.placed.items())


def plan_output(
    problem: CalendarProblem, usage: Usage, status: str, notes: list[str], best_bound: float | None = None
) -> dict[str, Any]:
    scheduled = []
    for ex_id, (start, area) in sorted(usage.placed.items(), key=lambda item: (item[1][0], item[0])):
        ex = problem.exercise(ex_id)
        end = start + ex.duration_weeks - 1
        first_day = problem.week_start(start)
        notify_by = vienna.notification_due(first_day) if ex.notifiable else None
        scheduled.append(
            {
                "id": ex.id,
                "name": ex.name,
                "start_week": start,
                "end_week": end,
                "start_date": first_day.isoformat(),
                "end_date": (problem.week_start(end) + timedelta(days=6)).isoformat(),
                "area": area,
                "troops": ex.troops,
                "notifiable": ex.notifiable,
                "notify_by": notify_by.isoformat() if notify_by else None,
            }
        )
    unscheduled = [
        {"id": ex.id, "optional": ex.optional, "reason": usage.reason_unscheduled(ex)}
        for ex in problem.exercises
        if ex.id not in usage.placed
    ]
    value = objective(problem, usage)
    bound = None if best_bound is None else round(best_bound)
    gap = None if bound is None else round(max(0, bound - value) / max(1, abs(bound)), 6)
    summary = f"{len(scheduled)} of {len(problem.exercises)} exercises scheduled, objective {value}"
    if gap is not None:
        summary += f", best bound {bound}, gap {gap:.2%}"
    return {
        "status": status,
        "scheduled": scheduled,
        "unscheduled": unscheduled,
        "objective": value,
        "best_bound": bound,
        "gap": gap,
        "explanation": [*notes, summary + "."],
    }
