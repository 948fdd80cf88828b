"""Reading untrusted JSON into typed values, collecting every error under the path of its field.

Planners edit these files by hand, so one run should report all problems at once and each message
must name the exact field (``offers[3].aircraft must be a positive integer``), not a stack trace.
"""

from __future__ import annotations

from datetime import date
from typing import Any

#: The largest integer an input may hold: CP-SAT computes in 64-bit integers, and weighted sums
#: of a thousand inputs of this size (aircraft, personnel, priorities) still fit.
MAX_INTEGER = 10**9


class InputError(ValueError):
    """Invalid planning input; ``errors`` maps each field path to a message that names it."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(self.errors.values()))


class Fields:
    """Accumulates field errors while typed values are read from nested dicts and lists."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def error(self, path: str, problem: str) -> None:
        self.errors.setdefault(path, f"{path} {problem}")

    def raise_if_any(self) -> None:
        if self.errors:
            raise InputError(self.errors)

    def obj(self, value: Any, path: str) -> dict[str, Any]:
        if isinstance(value, dict):
            return value
        self.error(path, "must be an object")
        return {}

    def items(self, data: dict[str, Any], key: str, path: str, *, required: bool = True) -> list[Any]:
        full = _join(path, key)
        if key not in data:
            if required:
                self.error(full, "is required")
            return []
        value = data[key]
        if isinstance(value, list):
            return value
        self.error(full, "must be a list")
        return []

    def text(self, data: dict[str, Any], key: str, path: str, default: str | None = None) -> str:
        full = _join(path, key)
        value = data.get(key, default)
        if isinstance(value, str) and value.strip():
            return value.strip()
        self.error(full, "is required" if value is None else "must be a non-empty string")
        return ""

    def integer(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        *,
        minimum: int = 1,
        default: int | None = None,
        maximum: int = MAX_INTEGER,
    ) -> int:
        full = _join(path, key)
        value = data.get(key, default)
        if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
            if value <= maximum:
                return value
            self.error(full, f"must be at most {maximum}")
            return minimum
        kind = {0: "a non-negative integer", 1: "a positive integer"}.get(minimum, f"an integer >= {minimum}")
        self.error(full, "is required" if value is None else f"must be {kind}")
        return minimum

    def number(self, data: dict[str, Any], key: str, path: str, *, default: float, maximum: float) -> float:
        full = _join(path, key)
        value = data.get(key, default)
        if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= maximum:
            return float(value)
        self.error(full, f"must be a number greater than 0 and at most {maximum:g}")
        return default

    def boolean(self, data: dict[str, Any], key: str, path: str, *, default: bool) -> bool:
        value = data.get(key, default)
        if isinstance(value, bool):
            return value
        self.error(_join(path, key), "must be true or false")
        return default

    def day(self, data: dict[str, Any], key: str, path: str, default: str | None = None) -> date:
        full = _join(path, key)
        value = data.get(key, default)
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.error(full, "is required" if value is None else "must be a date (YYYY-MM-DD)")
        return date(2000, 1, 1)

    def unique(self, values: list[str], path: str, what: str) -> None:
        seen: set[str] = set()
        for i, value in enumerate(values):
            if value in seen:
                self.error(f"{path}[{i}]", f"repeats {what} {value!r}")
            seen.add(value)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
