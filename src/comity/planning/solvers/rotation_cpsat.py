"""The rotation planner on CP-SAT, with minimal-conflict explanations when no plan exists.

Variables: ``x[o, p, b]`` is true when offer ``o`` serves base ``b`` in period ``p`` (only for
periods and bases the offer lists) and ``lead[o, p, b]`` when it also leads there. An offer serves
one base per period and leads only where it serves; those are facts about an offer, always hard.
The requirements a planner could negotiate (aircraft minimum, lead nation, rotation limit, one base
per nation per period, gap between rotations) are the items an infeasibility explanation names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from comity.planning.solvers.explain import conflict_report, minimal_conflict
from comity.planning.solvers.rotation_model import (
    WEIGHT_MAX_LOAD,
    WEIGHT_REGRET,
    WEIGHT_ROTATION,
    Assignment,
    RotationProblem,
    score,
)
from comity.planning.solvers.settings import Deadline, status_name

Key = tuple[Any, ...]


@dataclass
class _Model:
    """A CP-SAT model of a problem; ``literals`` is empty unless requirements are relaxable."""

    problem: RotationProblem
    relaxable: bool
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    lead: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    literals: dict[Hashable, cp_model.IntVar] = field(default_factory=dict)

    def require(self, constraint: cp_model.Constraint, key: Key) -> None:
        """Make ``constraint`` a named requirement: hard, or enforced by a literal when relaxable."""
        if self.relaxable:
            if key not in self.literals:
                self.literals[key] = self.model.NewBoolVar(repr(key))
            constraint.OnlyEnforceIf(self.literals[key])


def _grouped(pairs: Iterable[tuple[Hashable, cp_model.IntVar]]) -> dict[Hashable, list[cp_model.IntVar]]:
    """Variables by a key, each list in the order given (so constraints read as before, in one pass)."""
    groups: dict[Hashable, list[cp_model.IntVar]] = defaultdict(list)
    for key, var in pairs:
        groups[key].append(var)
    return groups


def _build(problem: RotationProblem, *, relaxable: bool) -> _Model:
    """The model, built in time linear in its variables (the time limit covers building too)."""
    m = _Model(problem, relaxable)
    model = m.model
    bases = {b.id: b for b in problem.bases}
    for o in problem.offers:
        for p in o.periods:
            for b in o.bases:
                m.x[o.index, p, b] = model.NewBoolVar(f"x{o.index}_{p}_{b}")
                if o.can_lead and bases[b].lead_required:
                    m.lead[o.index, p, b] = model.NewBoolVar(f"lead{o.index}_{p}_{b}")
                    model.AddImplication(m.lead[o.index, p, b], m.x[o.index, p, b])
            model.AddAtMostOne([m.x[o.index, p, b] for b in o.bases])
    serving = _grouped(((p, b), var) for (_, p, b), var in m.x.items())
    aircraft = _grouped(((p, b), problem.offers[o].aircraft) for (o, p, b) in m.x)  # type: ignore[misc]
    leading = _grouped(((p, b), var) for (_, p, b), var in m.lead.items())
    for p in problem.periods:
        for base in problem.bases:
            cover = cp_model.LinearExpr.WeightedSum(serving[p, base.id], aircraft[p, base.id])
            m.require(model.AddLinearConstraint(cover, base.min_aircraft, cp_model.INT32_MAX), ("coverage", p, base.id))
            if base.lead_required:
                leads = leading[p, base.id]
                model.AddAtMostOne(leads)
                m.require(model.AddBoolOr(leads), ("lead", p, base.id))
    by_offer = _grouped((o, var) for (o, _, _), var in m.x.items())
    for o in problem.offers:
        if o.max_rotations < len(o.periods):
            m.require(
                model.Add(cp_model.LinearExpr.Sum(by_offer[o.index]) <= o.max_rotations), ("max_rotations", o.index)
            )
    by_nation_period = _grouped(((problem.offers[o].nation, p), var) for (o, p, _), var in m.x.items())
    for nation in problem.nations:
        _nation_rules(m, nation, by_nation_period)
    return m


def _nation_rules(m: _Model, nation: str, by_nation_period: dict[Hashable, list[cp_model.IntVar]]) -> None:
    """One base per period across a nation's offers, and the gap between its rotations.

    When nothing is relaxable the gap windows sum the assignments themselves: one base per period
    holds anyway, and the sum gives CP-SAT a much tighter linear relaxation than a served-flag
    per period. Relaxable models keep the flag so that the gap and one-base rules stay separate.
    """
    problem, model = m.problem, m.model
    offers = {o.index for o in problem.offers if o.nation == nation}
    served: list[cp_model.LinearExprT] = []
    for p in problem.periods:
        here = by_nation_period.get((nation, p), [])
        if len(offers) > 1 and len(here) > 1:
            m.require(model.Add(cp_model.LinearExpr.Sum(here) <= 1), ("one_base", nation))
        if not m.relaxable or not here:
            served.append(cp_model.LinearExpr.Sum(here))
            continue
        flag = model.NewBoolVar(f"served_{nation}_{p}")
        model.AddMaxEquality(flag, here)
        served.append(flag)
    gap = problem.min_gap_periods_same_nation
    if gap:
        for start in range(len(served) - 1):
            window = served[start : start + gap + 1]
            m.require(model.Add(cp_model.LinearExpr.Sum(window) <= 1), ("gap", nation))


def solve_rotations(problem: RotationProblem) -> dict[str, Any]:
    """Plan the rotations; the output contract is documented in docs/planning.md.

    ``solver.time_limit_s`` bounds the whole call: building, solving and explaining a conflict.
    """
    deadline = Deadline(problem.settings.time_limit_s)
    m = _build(problem, relaxable=False)
    model = m.model
    max_load = model.NewIntVar(0, len(problem.periods), "max_load")
    by_nation = _grouped((problem.offers[o].nation, var) for (o, _, _), var in m.x.items())
    for nation in problem.nations:
        model.Add(max_load >= cp_model.LinearExpr.Sum(by_nation[nation]))
    rotations = cp_model.LinearExpr.Sum(list(m.x.values()))
    regret = cp_model.LinearExpr.WeightedSum(list(m.x.values()), [problem.offers[o].regret(b) for (o, _, b) in m.x])
    model.Minimize(WEIGHT_MAX_LOAD * max_load + WEIGHT_ROTATION * rotations + WEIGHT_REGRET * regret)
    solver = cp_model.CpSolver()
    problem.settings.apply(solver, deadline)
    status = solver.Solve(model)
    name = status_name(status)
    if name == "INFEASIBLE":
        return _infeasible(problem, deadline)
    if name == "UNKNOWN":
        return {
            "status": "UNKNOWN",
            "assignments": [],
            "objective": None,
            "best_bound": round(solver.BestObjectiveBound()),
            "explanation": [f"No plan found within the time limit of {problem.settings.time_limit_s:g} s."],
        }
    assignments = _assignments(m, solver)
    result = score(problem, assignments)
    explanation = [
        "Proven optimal." if name == "OPTIMAL" else "Best plan found within the time limit; not proven optimal.",
        f"The busiest nation serves {result.max_load} rotation(s); {result.rotations} rotation(s) in total.",
        f"Preference regret {result.regret} (0 means every offer serves its preferred base).",
    ]
    return {
        "status": name,
        "assignments": [a.as_json() for a in assignments],
        "objective": result.value,
        "objective_terms": result.as_json(),
        "best_bound": round(solver.BestObjectiveBound()),
        "explanation": explanation,
    }


def _assignments(m: _Model, solver: cp_model.CpSolver) -> list[Assignment]:
    problem = m.problem
    order = {p: i for i, p in enumerate(problem.periods)}
    base_order = {b.id: i for i, b in enumerate(problem.bases)}
    chosen = [
        Assignment(
            p,
            b,
            o,
            problem.offers[o].nation,
            problem.offers[o].aircraft,
            (o, p, b) in m.lead and bool(solver.Value(m.lead[o, p, b])),
        )
        for (o, p, b), var in m.x.items()
        if solver.Value(var)
    ]
    return sorted(chosen, key=lambda a: (order[a.period], base_order[a.base], not a.lead, a.nation, a.offer))


def _infeasible(problem: RotationProblem, deadline: Deadline) -> dict[str, Any]:
    m = _build(problem, relaxable=True)
    report = conflict_report(
        minimal_conflict(m.model, m.literals, problem.settings, deadline),
        lambda key: _describe(problem, key),
        "No plan meets every requirement. These requirements and offer limits cannot all hold together; "
        "waiving any one of them would remove this conflict:",
    )
    return {
        "status": "INFEASIBLE",
        "assignments": [],
        "objective": None,
        **report,
    }


def _describe(problem: RotationProblem, key: Hashable) -> dict[str, Any]:
    """A conflict item in machine form plus a sentence a planner understands."""
    kind, *rest = key
    if kind in ("coverage", "lead"):
        period, base_id = rest
        base = problem.base(base_id)
        offers = [o for o in problem.offers if period in o.periods and base_id in o.bases]
        if kind == "coverage":
            if offers:
                listed = ", ".join(f"{o.nation} {o.aircraft}" for o in offers)
                text = f"{base.label} in {period} needs at least {base.min_aircraft} aircraft (offers: {listed})."
            else:
                text = f"{base.label} in {period} needs at least {base.min_aircraft} aircraft but has no offer."
        else:
            leaders = sorted({o.nation for o in offers if o.can_lead})
            text = (
                f"{base.label} in {period} needs a lead nation (able to lead: {', '.join(leaders)})."
                if leaders
                else f"{base.label} in {period} has no offer from a nation that can lead."
            )
        return {"kind": kind, "period": period, "base": base_id, "text": text}
    if kind == "max_rotations":
        offer = problem.offers[rest[0]]
        return {
            "kind": kind,
            "offer": offer.index,
            "nation": offer.nation,
            "text": f"{offer.label} allows at most {offer.max_rotations} rotation(s).",
        }
    nation = rest[0]
    if kind == "one_base":
        return {"kind": kind, "nation": nation, "text": f"{nation} can serve at only one base in a period."}
    gap = problem.min_gap_periods_same_nation
    return {
        "kind": kind,
        "nation": nation,
        "text": f"{nation} must leave at least {gap} period(s) between two rotations.",
    }
