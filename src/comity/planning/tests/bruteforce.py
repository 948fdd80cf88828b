"""Exhaustive search over tiny instances, judged only by the independent checker.

It lets the tests confirm, without trusting CP-SAT, that an instance reported INFEASIBLE has no
valid plan and that a reported conflict is minimal: the plan space is enumerated and a plan counts
as valid for a set of enforced requirements when every checker violation is of a requirement
outside that set.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from itertools import product
from typing import Any

from comity.planning.solvers.checker import check_calendar, check_rotations

Key = tuple[Any, ...]


def rotation_plans(problem: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every choice of base (or none) for each offer and period; leads go to a capable server."""
    slots = [(i, p) for i, o in enumerate(problem["offers"]) for p in o["periods"]]
    options = [[None, *problem["offers"][i]["bases"]] for i, _ in slots]
    for choice in product(*options):
        rows = []
        led: set[tuple[str, str]] = set()
        for (i, p), b in zip(slots, choice, strict=True):
            if b is None:
                continue
            offer = problem["offers"][i]
            base = next(x for x in problem["bases"] if x["id"] == b)
            lead = base.get("lead_required", False) and offer.get("can_lead", False) and (p, b) not in led
            if lead:
                led.add((p, b))
            rows.append(
                {
                    "period": p,
                    "base": b,
                    "nation": offer["nation"],
                    "aircraft": offer["aircraft"],
                    "lead": lead,
                    "offer": i,
                }
            )
        yield {"assignments": rows}


def calendar_plans(problem: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every start week and area (or absence) for each exercise."""
    weeks = problem.get("weeks", 52)
    options = []
    for ex in problem["exercises"]:
        starts = range(1, weeks - ex["duration_weeks"] + 2)
        options.append([None, *product(starts, ex.get("areas") or [None])])
    for choice in product(*options):
        scheduled, unscheduled = [], []
        for ex, pick in zip(problem["exercises"], choice, strict=True):
            if pick is None:
                unscheduled.append({"id": ex["id"]})
            else:
                start, area = pick
                scheduled.append(
                    {"id": ex["id"], "start_week": start, "end_week": start + ex["duration_weeks"] - 1, "area": area}
                )
        yield {"scheduled": scheduled, "unscheduled": unscheduled}


def best_rotation_cost(problem: dict[str, Any]) -> int | None:
    """The least documented cost (100 x busiest nation's rotations + 10 x rotations + regret) of a valid plan."""
    best = None
    for plan in rotation_plans(problem):
        if check_rotations(problem, plan):
            continue
        rows = plan["assignments"]
        loads = Counter(row["nation"] for row in rows)
        regret = 0
        for row in rows:
            preference = problem["offers"][row["offer"]].get("preference", {})
            regret += max(preference.values(), default=0) - preference.get(row["base"], 0)
        cost = 100 * max(loads.values(), default=0) + 10 * len(rows) + regret
        best = cost if best is None else min(best, cost)
    return best


def best_calendar_value(problem: dict[str, Any]) -> int | None:
    """The greatest documented value (100 x priority - weeks off the preferred start) of a valid plan."""
    exercises = {x["id"]: x for x in problem["exercises"]}
    best = None
    for plan in calendar_plans(problem):
        if check_calendar(problem, plan):
            continue
        value = 0
        for row in plan["scheduled"]:
            ex = exercises[row["id"]]
            preferred = ex.get("preferred_start_week")
            value += 100 * ex.get("priority", 1) - (0 if preferred is None else abs(row["start_week"] - preferred))
        best = value if best is None else max(best, value)
    return best


def rotation_key(v: dict[str, Any]) -> Key | None:
    kind = v["constraint"]
    if kind in ("coverage", "lead"):
        return (kind, v["period"], v["base"])
    if kind == "max_rotations":
        return (kind, v["offer"])
    if kind in ("one_base", "gap"):
        return (kind, v["nation"])
    return None


def calendar_key(v: dict[str, Any]) -> Key | None:
    kind = v["constraint"]
    if kind in ("window", "notice", "mandatory"):
        return (kind, v["exercise"])
    if kind == "blackout":
        return (kind, v["exercise"], v["nation"])
    if kind == "personnel_cap":
        return (kind, v["nation"])
    if kind == "area_capacity":
        return (kind, v["area"])
    if kind == "precedence":
        return (kind, v["before"], v["after"])
    return None


def conflict_keys(items: list[dict[str, Any]]) -> set[Key]:
    """The solver's conflict items in the same key form as the checker's violations."""
    keys = set()
    for item in items:
        fields = {
            "coverage": ("period", "base"),
            "lead": ("period", "base"),
            "max_rotations": ("offer",),
            "one_base": ("nation",),
            "gap": ("nation",),
            "window": ("exercise",),
            "notice": ("exercise",),
            "mandatory": ("exercise",),
            "blackout": ("exercise", "nation"),
            "personnel_cap": ("nation",),
            "area_capacity": ("area",),
            "precedence": ("before", "after"),
        }[item["kind"]]
        keys.add((item["kind"], *(item[f] for f in fields)))
    return keys


def valid_with(kind: str, problem: dict[str, Any], enforced: set[Key]) -> bool:
    """Whether some plan breaks no hard rule and none of the ``enforced`` requirements."""
    plans: Callable[[dict[str, Any]], Iterator[dict[str, Any]]]
    plans, check, key = (
        (rotation_plans, check_rotations, rotation_key)
        if kind == "rotations"
        else (calendar_plans, check_calendar, calendar_key)
    )
    for plan in plans(problem):
        keys = [key(v) for v in check(problem, plan)]
        if all(k is not None and k not in enforced for k in keys):
            return True
    return False


def assert_minimal_conflict(kind: str, problem: dict[str, Any], result: dict[str, Any]) -> None:
    """The named conflict admits no plan, and dropping any one of its items admits one."""
    assert result["status"] == "INFEASIBLE"
    assert result["conflict_minimal"] is True
    named = conflict_keys(result["conflict"])
    assert named
    assert len(named) == len(result["explanation"]) - 1
    assert not valid_with(kind, problem, named)
    for item in named:
        assert valid_with(kind, problem, named - {item}), f"{item} is not needed in the conflict"
