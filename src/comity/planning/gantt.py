"""Rows and bars of the server-rendered Gantt views (plain data for the templates)."""

from __future__ import annotations

from typing import Any

from comity.planning.services import PlanDiff, assignment_key


def rotation_gantt(problem: dict[str, Any], output: dict[str, Any], diff: PlanDiff | None = None) -> dict[str, Any]:
    """One row per base, one column per period; each cell lists the nations serving there."""
    periods = list(problem.get("periods", []))
    added = {assignment_key(a) for a in diff.added} if diff else set()
    cells: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for a in output.get("assignments", []):
        cells.setdefault((a["base"], a["period"]), []).append({**a, "added": assignment_key(a) in added})
    rows = [
        {
            "id": base["id"],
            "name": base.get("name") or base["id"],
            "host": base.get("host", ""),
            "min_aircraft": base.get("min_aircraft"),
            "cells": [
                sorted(cells.get((base["id"], period), []), key=lambda a: (not a.get("lead"), a["nation"]))
                for period in periods
            ],
        }
        for base in problem.get("bases", [])
    ]
    return {"periods": periods, "rows": rows}


def calendar_gantt(problem: dict[str, Any], output: dict[str, Any]) -> dict[str, Any]:
    """One row per training area (plus one for exercises without an area); bars over the weeks.

    Exercises sharing an area (capacity above one) are stacked in lanes so that bars never overlap.
    """
    weeks = int(problem.get("weeks", 52))
    areas = [a["id"] for a in problem.get("areas", [])]
    by_area: dict[str | None, list[dict[str, Any]]] = {area: [] for area in areas}
    for item in sorted(output.get("scheduled", []), key=lambda s: (s["start_week"], s["id"])):
        by_area.setdefault(item.get("area"), []).append(item)
    rows = []
    for area, items in by_area.items():
        lanes: list[list[dict[str, Any]]] = []
        for item in items:
            bar = {
                **item,
                "left": round((item["start_week"] - 1) / weeks * 100, 3),
                "width": round((item["end_week"] - item["start_week"] + 1) / weeks * 100, 3),
            }
            lane = next((lane for lane in lanes if lane[-1]["end_week"] < item["start_week"]), None)
            if lane is None:
                lanes.append([bar])
            else:
                lane.append(bar)
        rows.append({"area": area or "No training area", "lanes": lanes or [[]]})
    step = 4 if weeks > 26 else 2 if weeks > 12 else 1
    ticks = [{"week": w, "left": round((w - 1) / weeks * 100, 3)} for w in range(1, weeks + 1, step)]
    return {"weeks": weeks, "rows": rows, "ticks": ticks}
