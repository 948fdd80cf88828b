"""How long and how CP-SAT searches: fixed workers, seed and a time limit for reproducible runs."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from comity.planning.solvers.fields import Fields

# A request must not hold a web worker for long; the benchmark and CLI may ask for up to this.
MAX_TIME_LIMIT_S = 600.0
#: CP-SAT starts a thread per worker; more than this only slows a shared machine.
MAX_WORKERS = 64
#: The largest seed CP-SAT takes (a 32-bit integer).
MAX_SEED = 2**31 - 1


@dataclass
class Deadline:
    """When a whole plan, its explanation included, must be done: ``time_limit_s`` from now.

    Why: CP-SAT honours the limit of each solve, but an infeasible plan's explanation runs a
    solve per requirement; given the limit each, a 15 s request once ran 77 s.
    """

    seconds: float
    end: float = field(init=False)

    def __post_init__(self) -> None:
        self.end = time.monotonic() + self.seconds

    def left(self) -> float:
        """Seconds left, never negative."""
        return max(0.0, self.end - time.monotonic())


@dataclass(frozen=True)
class SolverSettings:
    """CP-SAT parameters taken from the optional ``solver`` object of an input.

    With ``deterministic`` (the default) CP-SAT interleaves its workers' search in fixed batches,
    so the same input, seed and worker count give the same plan on every run, unless the wall-clock
    time limit cuts the search short. Without it the workers race freely: often faster, but ties
    between equally good plans may be broken differently from run to run.
    """

    time_limit_s: float = 30.0
    num_workers: int = 8
    seed: int = 0
    deterministic: bool = True

    def apply(self, solver: cp_model.CpSolver, deadline: Deadline) -> None:
        """Configure ``solver`` to stop by ``deadline`` (what is left of the request's time limit)."""
        solver.parameters.max_time_in_seconds = deadline.left()
        solver.parameters.num_workers = self.num_workers
        solver.parameters.random_seed = self.seed
        solver.parameters.interleave_search = self.deterministic


def read_settings(fields: Fields, data: dict[str, Any], default_time_limit_s: float) -> SolverSettings:
    """The ``solver`` object: ``time_limit_s``, ``num_workers``, ``seed``, ``deterministic``; all optional."""
    raw = fields.obj(data.get("solver", {}), "solver")
    return SolverSettings(
        time_limit_s=fields.number(
            raw, "time_limit_s", "solver", default=default_time_limit_s, maximum=MAX_TIME_LIMIT_S
        ),
        num_workers=fields.integer(raw, "num_workers", "solver", default=8, maximum=MAX_WORKERS),
        seed=fields.integer(raw, "seed", "solver", minimum=0, default=0, maximum=MAX_SEED),
        deterministic=fields.boolean(raw, "deterministic", "solver", default=True),
    )


def status_name(code: int) -> str:
    """CP-SAT's status as the output contract spells it; UNKNOWN means no plan within the time limit."""
    return {
        cp_model.OPTIMAL: "OPTIMAL",
        cp_model.FEASIBLE: "FEASIBLE",
        cp_model.INFEASIBLE: "INFEASIBLE",
    }.get(code, "UNKNOWN")
