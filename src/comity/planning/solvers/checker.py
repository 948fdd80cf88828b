"""Independent plan checkers: plain Python over the raw input JSON and a returned plan.

They deliberately share no code with the models or solvers (not even the parser or the OSCE
constants), so a bug in the solver's reading of a rule cannot hide in the check as well. Each
returns the violated constraints as dicts with a ``constraint`` kind and a ``message``; an empty
list means the plan is valid. Relaxable rotation kinds match the solver's conflict kinds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

Violation = dict[str, Any]

# Vienna Document 2011, Chapter V, para 40.1.1 thresholds and the 42-day notice, restated here on
# purpose instead of imported (see the module docstring).
_TROOPS, _TANKS, _ACVS, _ARTILLERY, _NOTICE_DAYS = 9000, 250, 500, 250, 42


def _v(kind: str, message: str, **where: Any) -> Violation:
    return {"constraint": kind, **where, "message": message}


def check_rotations(problem: dict[str, Any], plan: dict[str, Any]) -> list[Violation]:
    """Every rule of the rotation model that ``plan["assignments"]`` breaks."""
    periods = list(problem["periods"])
    position = {p: i for i, p in enumerate(periods)}
    bases = {b["id"]: b for b in problem["bases"]}
    offers = problem["offers"]
    gap = problem.get("rules", {}).get("min_gap_periods_same_nation", 0)
    out: list[Violation] = []
    aircraft: Counter[tuple[str, str]] = Counter()
    leads: Counter[tuple[str, str]] = Counter()
    per_offer: Counter[int] = Counter()
    per_offer_period: Counter[tuple[int, str]] = Counter()
    per_nation_period: Counter[tuple[str, str]] = Counter()
    for row in plan["assignments"]:
        p, b, nation = row["period"], row["base"], row["nation"]
        index = row.get("offer")
        if index is None:
            matches = [
                i for i, o in enumerate(offers) if o["nation"] == nation and p in o["periods"] and b in o["bases"]
            ]
            index = matches[0] if len(matches) == 1 else None
        if not isinstance(index, int) or not 0 <= index < len(offers) or offers[index]["nation"] != nation:
            out.append(_v("unknown_offer", f"{nation} at {b} in {p} matches no single offer", period=p, base=b))
            continue
        offer = offers[index]
        if p not in position or b not in bases or p not in offer["periods"] or b not in offer["bases"]:
            out.append(_v("offer_scope", f"offers[{index}] does not offer {b} in {p}", offer=index))
            continue
        if row["aircraft"] != offer["aircraft"]:
            out.append(
                _v(
                    "aircraft",
                    f"offers[{index}] brings {offer['aircraft']} aircraft, not {row['aircraft']}",
                    offer=index,
                )
            )
        if row["lead"]:
            leads[p, b] += 1
            if not offer.get("can_lead", False):
                out.append(_v("lead_not_allowed", f"{nation} cannot lead but leads {b} in {p}", offer=index))
        aircraft[p, b] += offer["aircraft"]
        per_offer[index] += 1
        per_offer_period[index, p] += 1
        per_nation_period[nation, p] += 1
    for (index, p), n in per_offer_period.items():
        if n > 1:
            out.append(_v("offer_one_base", f"offers[{index}] serves {n} bases in {p}", offer=index, period=p))
    for p in periods:
        for b, base in bases.items():
            if aircraft[p, b] < base["min_aircraft"]:
                out.append(
                    _v(
                        "coverage",
                        f"{b} in {p} has {aircraft[p, b]} of {base['min_aircraft']} aircraft",
                        period=p,
                        base=b,
                    )
                )
            if base.get("lead_required", False) and leads[p, b] != 1:
                out.append(_v("lead", f"{b} in {p} has {leads[p, b]} lead nations, needs exactly 1", period=p, base=b))
    for index, n in per_offer.items():
        limit = offers[index].get("max_rotations", len(offers[index]["periods"]))
        if n > limit:
            out.append(_v("max_rotations", f"offers[{index}] serves {n} rotations, limit {limit}", offer=index))
    by_nation: defaultdict[str, list[int]] = defaultdict(list)
    for (nation, p), n in sorted(per_nation_period.items()):
        by_nation[nation].append(position[p])
        if n > 1:
            out.append(_v("one_base", f"{nation} serves {n} bases in {p}", nation=nation, period=p))
    for nation, served in sorted(by_nation.items()):
        served.sort()
        for earlier, later in pairwise(served):
            if later - earlier <= gap:
                out.append(
                    _v(
                        "gap",
                        f"{nation} serves {periods[earlier]} and {periods[later]}, closer than {gap + 1} periods apart",
                        nation=nation,
                    )
                )
    return out


def check_calendar(problem: dict[str, Any], plan: dict[str, Any]) -> list[Violation]:
    """Every rule of the exercise-calendar model that ``plan["scheduled"]`` breaks."""
    weeks = problem.get("weeks", 52)
    start_day = date.fromisoformat(problem["calendar_start"])
    planning_day = date.fromisoformat(problem.get("planning_date", problem["calendar_start"]))
    nations = {n["id"]: n for n in problem["nations"]}
    areas = {a["id"]: a for a in problem.get("areas", [])}
    exercises = {x["id"]: x for x in problem["exercises"]}
    out: list[Violation] = []
    personnel: Counter[tuple[str, int]] = Counter()
    area_use: Counter[tuple[str, int]] = Counter()
    placed: dict[str, tuple[int, int]] = {}
    for row in plan["scheduled"]:
        ex_id, first, last = row["id"], row["start_week"], row["end_week"]
        ex = exercises.get(ex_id)
        if ex is None or ex_id in placed:
            out.append(_v("unknown_or_repeated", f"{ex_id} is unknown or scheduled twice", exercise=ex_id))
            continue
        placed[ex_id] = (first, last)
        if last - first + 1 != ex["duration_weeks"]:
            out.append(
                _v("duration", f"{ex_id} lasts {last - first + 1} weeks, not {ex['duration_weeks']}", exercise=ex_id)
            )
        if first < 1 or last > weeks:
            out.append(_v("horizon", f"{ex_id} runs outside weeks 1-{weeks}", exercise=ex_id))
        if first < ex.get("earliest_start_week", 1) or last > ex.get("latest_end_week", weeks):
            out.append(_v("window", f"{ex_id} in weeks {first}-{last} leaves its window", exercise=ex_id))
        troops = sum(ex["participants"].values())
        notifiable = (
            troops >= _TROOPS
            or ex.get("tanks", 0) >= _TANKS
            or ex.get("acvs", 0) >= _ACVS
            or ex.get("artillery", 0) >= _ARTILLERY
        )
        if notifiable and start_day + timedelta(weeks=first - 1) < planning_day + timedelta(days=_NOTICE_DAYS):
            out.append(
                _v(
                    "notice",
                    f"{ex_id} is notifiable but starts less than 42 days after the planning date",
                    exercise=ex_id,
                )
            )
        for nation, people in ex["participants"].items():
            blocked = set(nations[nation].get("blackout_weeks", []))
            if blocked & set(range(first, last + 1)):
                out.append(_v("blackout", f"{ex_id} overlaps a {nation} blackout week", exercise=ex_id, nation=nation))
            for week in range(first, last + 1):
                personnel[nation, week] += people
        area = row.get("area")
        if ex.get("areas"):
            if area not in ex["areas"]:
                out.append(_v("area", f"{ex_id} is in {area!r}, not one of its areas", exercise=ex_id))
            else:
                for week in range(first, last + 1):
                    area_use[area, week] += 1
    for (nation, week), people in sorted(personnel.items()):
        if people > nations[nation]["personnel_cap"]:
            out.append(
                _v(
                    "personnel_cap",
                    f"{nation} has {people} personnel in week {week}, cap {nations[nation]['personnel_cap']}",
                    nation=nation,
                    week=week,
                )
            )
    for (area, week), used in sorted(area_use.items()):
        if used > areas[area]["capacity"]:
            out.append(
                _v(
                    "area_capacity",
                    f"{area} holds {used} exercises in week {week}, capacity {areas[area]['capacity']}",
                    area=area,
                    week=week,
                )
            )
    for rule in problem.get("precedences", []):
        a, b = rule["before"], rule["after"]
        if a in placed and b in placed and placed[a][1] >= placed[b][0]:
            out.append(_v("precedence", f"{a} must end before {b} starts", before=a, after=b))
    for ex_id, ex in exercises.items():
        if not ex.get("optional", False) and ex_id not in placed:
            out.append(_v("mandatory", f"{ex_id} is mandatory but not scheduled", exercise=ex_id))
    listed = {row["id"] for row in plan.get("unscheduled", [])}
    if listed & set(placed) or (listed | set(placed)) != set(exercises):
        out.append(_v("partition", "scheduled and unscheduled lists must split the exercises exactly"))
    return out
