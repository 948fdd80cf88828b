"""The exercise calendar on CP-SAT: optional intervals, cumulative caps, minimal conflicts.

Each exercise has a presence literal, a start week and an optional interval; an exercise with
candidate areas picks exactly one through optional per-area intervals. Nations' personnel caps and
areas' capacities are cumulative constraints over those intervals. Start-week rules (window, OSCE
notice, blackouts) restrict the start variable. For explanations every rule a planner could waive
gets its own literal; caps are relaxed through a capacity variable, since CP-SAT's cumulative
constraint takes no enforcement literal.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from comity.planning.solvers.calendar_greedy import greedy_placement
from comity.planning.solvers.calendar_model import WEIGHT_DEVIATION, WEIGHT_PRIORITY, CalendarProblem, start_rules
from comity.planning.solvers.calendar_report import plan_output
from comity.planning.solvers.calendar_usage import Usage
from comity.planning.solvers.explain import conflict_report, minimal_conflict
from comity.planning.solvers.settings import Deadline, status_name


@dataclass
class _Model:
    problem: CalendarProblem
    relaxable: bool
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    start: dict[str, cp_model.IntVar] = field(default_factory=dict)
    present: dict[str, cp_model.IntVar] = field(default_factory=dict)
    in_area: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)
    literals: dict[Hashable, cp_model.IntVar] = field(default_factory=dict)

    def require(self, constraint: cp_model.Constraint, key: tuple[Any, ...]) -> None:
        if self.relaxable:
            if key not in self.literals:
                self.literals[key] = self.model.NewBoolVar(repr(key))
            constraint.OnlyEnforceIf(self.literals[key])

    def start_rule(self, ex_id: str, starts: frozenset[int], key: tuple[Any, ...]) -> None:
        domain = cp_model.Domain.FromValues(sorted(starts))
        constraint = self.model.AddLinearExpressionInDomain(self.start[ex_id], domain)
        constraint.OnlyEnforceIf(self.present[ex_id])
        self.require(constraint, key)

    def capacity(self, limit: int, most: int, key: tuple[Any, ...]) -> cp_model.IntVar | int:
        """A cumulative capacity: the constant limit, or a variable held to it by a literal."""
        if not self.relaxable:
            return limit
        cap = self.model.NewIntVar(limit, max(limit, most), f"cap_{key}")
        self.require(self.model.Add(cap <= limit), key)
        return cap


def _build(problem: CalendarProblem, *, relaxable: bool) -> _Model:
    m = _Model(problem, relaxable)
    model = m.model
    nation_tasks: dict[str, list[tuple[cp_model.IntervalVar, int]]] = {n.id: [] for n in problem.nations}
    area_tasks: dict[str, list[cp_model.IntervalVar]] = {a.id: [] for a in problem.areas}
    for ex in problem.exercises:
        d, rules = ex.duration_weeks, start_rules(problem, ex)
        present = m.present[ex.id] = model.NewBoolVar(f"present_{ex.id}")
        allowed = rules.horizon if relaxable or not rules.allowed else rules.allowed
        start = m.start[ex.id] = model.NewIntVarFromDomain(cp_model.Domain.FromValues(sorted(allowed)), f"s_{ex.id}")
        if not relaxable and not rules.allowed:
            model.Add(present == 0)
        if relaxable:
            # Only rules that exclude some start week can take part in a conflict.
            named = [
                (rules.window, ("window", ex.id)),
                (rules.notice, ("notice", ex.id)),
                *((starts, ("blackout", ex.id, nation)) for nation, starts in rules.blackout),
            ]
            for starts, key in named:
                if starts != rules.horizon:
                    m.start_rule(ex.id, starts, key)
        if not ex.optional:
            m.require(model.Add(present == 1), ("mandatory", ex.id))
        interval = model.NewOptionalFixedSizeIntervalVar(start, d, present, f"i_{ex.id}")
        for nation, people in ex.participants:
            nation_tasks[nation].append((interval, people))
        choices = []
        for area in ex.areas:
            chosen = m.in_area[ex.id, area] = model.NewBoolVar(f"a_{ex.id}_{area}")
            area_tasks[area].append(model.NewOptionalFixedSizeIntervalVar(start, d, chosen, f"i_{ex.id}_{area}"))
            choices.append(chosen)
        if choices:
            model.Add(cp_model.LinearExpr.Sum(choices) == present)
    for nation in problem.nations:
        tasks = nation_tasks[nation.id]
        if tasks:
            cap = m.capacity(nation.personnel_cap, sum(p for _, p in tasks), ("personnel_cap", nation.id))
            model.AddCumulative([i for i, _ in tasks], [p for _, p in tasks], cap)
    for area in problem.areas:
        tasks = area_tasks[area.id]
        if tasks:
            model.AddCumulative(
                tasks, [1] * len(tasks), m.capacity(area.capacity, len(tasks), ("area_capacity", area.id))
            )
    for index, rule in enumerate(problem.precedences):
        before = problem.exercise(rule.before)
        constraint = model.Add(m.start[rule.before] + before.duration_weeks <= m.start[rule.after])
        constraint.OnlyEnforceIf([m.present[rule.before], m.present[rule.after]])
        m.require(constraint, ("precedence", index))
    return m


def solve_calendar(problem: CalendarProblem) -> dict[str, Any]:
    """Schedule the exercises; the output contract is documented in docs/planning.md.

    ``solver.time_limit_s`` bounds the whole call: building, solving and explaining a conflict.
    """
    deadline = Deadline(problem.settings.time_limit_s)
    m = _build(problem, relaxable=False)
    model = m.model
    terms = []
    for ex in problem.exercises:
        terms.append(WEIGHT_PRIORITY * ex.priority * m.present[ex.id])
        if ex.preferred_start_week is not None:
            dev = model.NewIntVar(0, problem.weeks, f"dev_{ex.id}")
            model.Add(dev >= m.start[ex.id] - ex.preferred_start_week).OnlyEnforceIf(m.present[ex.id])
            model.Add(dev >= ex.preferred_start_week - m.start[ex.id]).OnlyEnforceIf(m.present[ex.id])
            terms.append(-WEIGHT_DEVIATION * dev)
    model.Maximize(cp_model.LinearExpr.Sum(terms))
    _hint(m, greedy_placement(problem))
    solver = cp_model.CpSolver()
    problem.settings.apply(solver, deadline)
    status = status_name(solver.Solve(model))
    if status == "INFEASIBLE":
        return _infeasible(problem, deadline)
    usage = Usage(problem)
    if status in ("OPTIMAL", "FEASIBLE"):
        for ex in problem.exercises:
            if solver.Value(m.present[ex.id]):
                area = next((a for a in ex.areas if solver.Value(m.in_area[ex.id, a])), None)
                usage.place(ex, solver.Value(m.start[ex.id]), area)
    notes = {
        "OPTIMAL": "Proven optimal.",
        "FEASIBLE": "Best plan found within the time limit; the gap bounds how far from optimal it may be.",
        "UNKNOWN": f"No plan found within the time limit of {problem.settings.time_limit_s:g} s.",
    }
    return plan_output(problem, usage, status, [notes[status]], solver.BestObjectiveBound())


def _hint(m: _Model, usage: Usage) -> None:
    """Start from the greedy plan, so the search begins at a feasible calendar when there is one."""
    for ex in m.problem.exercises:
        placed = usage.placed.get(ex.id)
        m.model.AddHint(m.present[ex.id], placed is not None)
        if placed is not None:
            m.model.AddHint(m.start[ex.id], placed[0])
            for area in ex.areas:
                m.model.AddHint(m.in_area[ex.id, area], area == placed[1])


def _infeasible(problem: CalendarProblem, deadline: Deadline) -> dict[str, Any]:
    m = _build(problem, relaxable=True)
    report = conflict_report(
        minimal_conflict(m.model, m.literals, problem.settings, deadline),
        lambda key: _describe(problem, key),
        "No calendar meets every rule. These rules cannot all hold together; waiving any one of them would "
        "remove this conflict:",
    )
    return {
        "status": "INFEASIBLE",
        "scheduled": [],
        "unscheduled": [
            {"id": x.id, "optional": x.optional, "reason": "No calendar exists (see explanation)."}
            for x in problem.exercises
        ],
        "objective": None,
        "best_bound": None,
        "gap": None,
        **report,
    }


def _describe(problem: CalendarProblem, key: Hashable) -> dict[str, Any]:
    kind, *rest = key
    if kind == "precedence":
        rule = problem.precedences[rest[0]]
        return {
            "kind": kind,
            "before": rule.before,
            "after": rule.after,
            "text": f"{rule.before} must end before {rule.after} starts.",
        }
    if kind == "personnel_cap":
        nation = problem.nation(rest[0])
        return {
            "kind": kind,
            "nation": nation.id,
            "text": f"{nation.id} can provide at most {nation.personnel_cap} personnel in any week.",
        }
    if kind == "area_capacity":
        area = problem.area(rest[0])
        return {
            "kind": kind,
            "area": area.id,
            "text": f"Training area {area.id} holds at most {area.capacity} exercise(s) at a time.",
        }
    ex = problem.exercise(rest[0])
    texts = {
        "mandatory": f"{ex.id} is mandatory ({ex.duration_weeks} week(s), {ex.troops} troops).",
        "window": f"{ex.id} must run within weeks {ex.earliest_start_week}-{ex.latest_end_week}.",
        "notice": f"{ex.id} is notifiable under the Vienna Document 2011, so it cannot start before week "
        f"{problem.notice_week} (42 days after the planning date {problem.planning_date.isoformat()}).",
    }
    if kind == "blackout":
        nation = problem.nation(rest[1])
        weeks = ", ".join(str(w) for w in sorted(nation.blackout_weeks))
        return {
            "kind": kind,
            "exercise": ex.id,
            "nation": nation.id,
            "text": f"{ex.id} cannot overlap {nation.id}'s blackout weeks ({weeks}).",
        }
    return {"kind": kind, "exercise": ex.id, "text": texts[kind]}
