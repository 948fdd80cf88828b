"""Pure planning solvers: JSON in, frozen dataclasses, CP-SAT, JSON out. No Django in here.

``PLANNERS`` maps each planning kind to its parser and solver so the CLI and the API stay in step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from comity.planning.solvers.calendar_cpsat import solve_calendar
from comity.planning.solvers.calendar_model import parse_calendar
from comity.planning.solvers.fields import InputError
from comity.planning.solvers.rotation_cpsat import solve_rotations
from comity.planning.solvers.rotation_model import parse_rotations


def _rotations(data: Any) -> dict[str, Any]:
    return solve_rotations(parse_rotations(data))


def _calendar(data: Any) -> dict[str, Any]:
    return solve_calendar(parse_calendar(data))


PLANNERS: dict[str, Callable[[Any], dict[str, Any]]] = {"rotations": _rotations, "calendar": _calendar}

__all__ = ["PLANNERS", "InputError"]
