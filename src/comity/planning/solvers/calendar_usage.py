"""Week-by-week resource use of a calendar, and why an exercise does not fit into it.

The greedy baseline places exercises against it one by one, and both solvers use it afterwards to
tell the planner why each left-out exercise is left out.
"""

from __future__ import annotations

from collections import Counter

from comity.planning.solvers.calendar_model import CalendarProblem, Exercise, StartRules, start_rules


class Usage:
    """Personnel per nation and exercises per area for every week, plus where each exercise sits."""

    def __init__(self, problem: CalendarProblem) -> None:
        self.problem = problem
        self.personnel: Counter[tuple[str, int]] = Counter()
        self.area_load: Counter[tuple[str, int]] = Counter()
        self.placed: dict[str, tuple[int, str | None]] = {}

    def place(self, ex: Exercise, start: int, area: str | None) -> None:
        for week in range(start, start + ex.duration_weeks):
            for nation, people in ex.participants:
                self.personnel[nation, week] += people
            if area is not None:
                self.area_load[area, week] += 1
        self.placed[ex.id] = (start, area)

    def free_area(self, ex: Exercise, start: int) -> str | None:
        """The first of the exercise's areas with room in all its weeks (None if it needs none)."""
        weeks = range(start, start + ex.duration_weeks)
        return next(
            (a for a in ex.areas if all(self.area_load[a, w] < self.problem.area(a).capacity for w in weeks)), None
        )

    def blockers(self, ex: Exercise, start: int) -> list[str]:
        """What stops ``ex`` from starting in week ``start`` given what is placed; empty if it fits."""
        weeks = range(start, start + ex.duration_weeks)
        found = [
            f"{nation} personnel cap"
            for nation, people in ex.participants
            if any(self.personnel[nation, w] + people > self.problem.nation(nation).personnel_cap for w in weeks)
        ]
        if ex.areas and self.free_area(ex, start) is None:
            found.append("capacity of " + " / ".join(ex.areas))
        for rule in self.problem.precedences:
            other = rule.before if rule.after == ex.id else rule.after if rule.before == ex.id else None
            if other is None or other not in self.placed:
                continue
            other_start = self.placed[other][0]
            other_end = other_start + self.problem.exercise(other).duration_weeks - 1
            if (rule.after == ex.id and other_end >= start) or (rule.before == ex.id and weeks[-1] >= other_start):
                found.append(f"{rule.before} before {rule.after}")
        return found

    def reason_unscheduled(self, ex: Exercise) -> str:
        """Why ``ex`` is not in the plan this usage describes, in a planner's words."""
        rules = start_rules(self.problem, ex)
        if not rules.allowed:
            return _no_start_reason(self.problem, ex, rules)
        for nation, people in ex.participants:
            cap = self.problem.nation(nation).personnel_cap
            if people > cap:
                return f"{nation} would provide {people} personnel, above its cap of {cap}."
        clashes: dict[str, None] = {}
        for start in sorted(rules.allowed):
            found = self.blockers(ex, start)
            if not found:
                return f"It would fit from week {start}; the search stopped (time limit) before placing it."
            clashes.update(dict.fromkeys(found))
        return (
            f"Each of its {len(rules.allowed)} possible start weeks clashes with scheduled exercises over: "
            + ", ".join(clashes)
            + "."
        )


def _no_start_reason(problem: CalendarProblem, ex: Exercise, rules: StartRules) -> str:
    d = ex.duration_weeks
    if not rules.window:
        return f"Its window (weeks {ex.earliest_start_week}-{ex.latest_end_week}) is too short for {d} week(s)."
    if not rules.window & rules.notice:
        return (
            f"It is notifiable under the Vienna Document (42 days' notice), so it cannot start before week "
            f"{problem.notice_week}, too late for its window (weeks {ex.earliest_start_week}-"
            f"{ex.latest_end_week})."
        )
    candidates = rules.window & rules.notice
    nations = ", ".join(nation for nation, starts in rules.blackout if not candidates <= starts)
    return f"Every start week in its window overlaps blackout weeks of {nations}."
