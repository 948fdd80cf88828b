"""Minimal sets of conflicting requirements, found with CP-SAT assumptions and deletion filtering.

Each requirement a planner could waive (a base's aircraft minimum, an offer's rotation limit, ...)
is enforced by its own literal. Solving with all literals assumed true, CP-SAT's
``SufficientAssumptionsForInfeasibility`` gives a core that is infeasible but not necessarily
minimal. Deletion filtering then drops each item in turn and keeps it only if the rest becomes
feasible, so every item named is needed: waiving any one of them alone removes this conflict.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from comity.planning.solvers.settings import Deadline, SolverSettings


@dataclass(frozen=True)
class Conflict:
    """Requirement keys that cannot hold together; ``minimal`` is False if a check ran out of time."""

    keys: tuple[Hashable, ...]
    minimal: bool


def minimal_conflict(
    model: cp_model.CpModel, literals: dict[Hashable, cp_model.IntVar], settings: SolverSettings, deadline: Deadline
) -> Conflict | None:
    """A minimal infeasible subset of ``literals`` (in their order), or None when none was found
    (all can hold together, or the deadline passed before the first check ended).

    The whole search ends by ``deadline`` (the request's, shared with the plan's own solve); items
    not yet tested when it passes stay in the answer and the conflict is marked not proven minimal.
    """
    keys = list(literals)
    by_index = {literals[key].Index(): key for key in keys}

    def solve(subset: Sequence[Hashable]) -> tuple[int, set[Hashable]]:
        model.ClearAssumptions()
        model.AddAssumptions([literals[key] for key in subset])
        solver = cp_model.CpSolver()
        settings.apply(solver, deadline)
        status = solver.Solve(model)
        core = {by_index[i] for i in solver.SufficientAssumptionsForInfeasibility() if i in by_index}
        return status, core

    status, core = solve(keys)
    if status != cp_model.INFEASIBLE:
        return None
    current = _shrink(keys, core)
    proven = True
    position = 0
    while position < len(current):
        if not deadline.left():
            proven = False
            break
        trial = current[:position] + current[position + 1 :]
        status, core = solve(trial)
        if status == cp_model.INFEASIBLE:
            # Items already shown necessary stay in every smaller core, so `position` still points
            # just past them after the core shrinks.
            current = _shrink(trial, core)
            continue
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            proven = False
        position += 1
    model.ClearAssumptions()
    return Conflict(tuple(current), proven)


def _shrink(keys: list[Hashable], core: set[Hashable]) -> list[Hashable]:
    """The keys in the core, in input order; all of them if CP-SAT reported no core at all."""
    return [key for key in keys if key in core] if core else keys


def conflict_report(
    conflict: Conflict | None, describe: Callable[[Hashable], dict[str, Any]], headline: str
) -> dict[str, Any]:
    """The ``explanation``, ``conflict`` and ``conflict_minimal`` keys of an infeasible plan's answer.

    ``describe`` turns a requirement key into ``{"text": ..., ...}``; ``headline`` opens the
    explanation, each item's text follows, and a last line says when minimality was not proven.
    """
    items = [] if conflict is None else [describe(key) for key in conflict.keys]
    explanation = [headline, *(item["text"] for item in items)]
    if conflict is None:  # the plan was proven infeasible, so only the time limit stops the search
        explanation.append("The time limit ran out before the conflicting requirements were found.")
    elif not conflict.minimal:
        explanation.append("The time limit ran out before every item was shown to be necessary.")
    minimal = conflict is not None and conflict.minimal
    return {"explanation": explanation, "conflict": items, "conflict_minimal": minimal}
