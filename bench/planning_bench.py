"""Benchmark of the planning solvers against their greedy baselines (prints tables; not a test).

    python bench/planning_bench.py            # full sizes (several minutes)
    python bench/planning_bench.py --quick    # small sizes only

All instances are SYNTHETIC: generated from a seed with made-up nations (N01..), bases and
training areas. They exercise the solvers at realistic sizes and say nothing about any real
nation's offers, forces or plans. Every plan printed here is verified by the independent checker.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from itertools import product
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from comity.planning.solvers.calendar_cpsat import solve_calendar
from comity.planning.solvers.calendar_greedy import greedy_calendar
from comity.planning.solvers.calendar_model import parse_calendar
from comity.planning.solvers.checker import check_calendar, check_rotations
from comity.planning.solvers.rotation_cpsat import solve_rotations
from comity.planning.solvers.rotation_greedy import greedy_rotations
from comity.planning.solvers.rotation_model import parse_rotations


def rotation_instance(years: int, nations: int, seed: int, time_limit_s: float, workers: int) -> dict[str, Any]:
    """Synthetic air-policing offers: three bases, two needing a lead, three periods a year."""
    rng = random.Random(seed)
    periods = [f"{2027 + y}-{p}" for y in range(years) for p in (1, 2, 3)]
    bases = [
        {"id": "BASE-A", "host": "HOST-A", "min_aircraft": 4, "lead_required": True},
        {"id": "BASE-B", "host": "HOST-B", "min_aircraft": 4, "lead_required": True},
        {"id": "BASE-C", "host": "HOST-C", "min_aircraft": 2, "lead_required": False},
    ]
    offers = []
    for n in range(1, nations + 1):
        for _ in range(rng.choice((1, 1, 2))):
            first = rng.randrange(len(periods))
            span = rng.randint(len(periods) // 2, len(periods))
            offer_periods = [periods[(first + i) % len(periods)] for i in range(span)]
            offer_bases = rng.sample([b["id"] for b in bases], rng.randint(1, 3))
            offers.append(
                {
                    "nation": f"N{n:02d}",
                    "periods": sorted(offer_periods, key=periods.index),
                    "bases": offer_bases,
                    "aircraft": rng.choice((2, 4, 4, 6)),
                    "max_rotations": rng.randint(3, 8),
                    "can_lead": rng.random() < 0.7,
                    "preference": {b: rng.randint(0, 3) for b in offer_bases},
                }
            )
    return {
        "periods": periods,
        "bases": bases,
        "offers": offers,
        "rules": {"min_gap_periods_same_nation": 1},
        "solver": {"time_limit_s": time_limit_s, "num_workers": workers, "seed": 0},
    }


def calendar_instance(exercises: int, nations: int, seed: int, time_limit_s: float, workers: int) -> dict[str, Any]:
    """Synthetic exercise programme for one year: 52 weeks, 20 training areas."""
    rng = random.Random(seed)
    weeks = 52
    nation_ids = [f"N{n:02d}" for n in range(1, nations + 1)]
    nation_rows = [
        {
            "id": n,
            "personnel_cap": rng.choice((3000, 5000, 8000, 12000, 20000)),
            "blackout_weeks": [1, 52] + (list(range(30, 34)) if rng.random() < 0.3 else []),
        }
        for n in nation_ids
    ]
    areas = [{"id": f"AREA-{a:02d}", "capacity": rng.choice((1, 1, 2, 3))} for a in range(1, 21)]
    rows = []
    for i in range(exercises):
        # About one in twenty is mandatory: small, with a wide window, so the instance stays feasible.
        mandatory = rng.random() < 0.05
        duration = rng.choice((1, 1, 1, 2, 2, 3, 4))
        earliest = rng.randint(2, 10) if mandatory else rng.randint(2, weeks - duration - 1)
        latest = min(weeks - 1, earliest + duration - 1 + (30 if mandatory else rng.randint(2, 20)))
        big = not mandatory and rng.random() < 0.05
        size = rng.randint(2, 6) if big else rng.randint(1, 2 if mandatory else 4)
        participants = {n: rng.randint(5, 40) * (400 if big else 50) for n in rng.sample(nation_ids, size)}
        rows.append(
            {
                "id": f"EX{i:03d}",
                "duration_weeks": duration,
                "earliest_start_week": earliest,
                "latest_end_week": latest,
                "participants": participants,
                "areas": [] if rng.random() < 0.2 else [a["id"] for a in rng.sample(areas, rng.randint(1, 3))],
                "tanks": rng.choice((0, 0, 0, 60, 300)) if big else 0,
                "acvs": 0,
                "artillery": 0,
                "priority": rng.randint(1, 5),
                "preferred_start_week": rng.randint(earliest, latest - duration + 1),
                "optional": not mandatory,
            }
        )
    precedences = []
    for _ in range(exercises // 20):
        a, b = sorted(rng.sample(range(exercises), 2))
        if rows[a]["earliest_start_week"] + rows[a]["duration_weeks"] <= rows[b]["latest_end_week"]:
            precedences.append({"before": rows[a]["id"], "after": rows[b]["id"]})
    return {
        "calendar_start": "2027-01-04",
        "planning_date": "2026-12-01",
        "weeks": weeks,
        "nations": nation_rows,
        "areas": areas,
        "exercises": rows,
        "precedences": precedences,
        "solver": {"time_limit_s": time_limit_s, "num_workers": workers, "seed": 0},
    }


def timed(fn: Any, *args: Any) -> tuple[dict[str, Any], float]:
    started = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - started


def verified(check: Any, data: dict[str, Any], plan: dict[str, Any]) -> str:
    if plan["status"] not in ("OPTIMAL", "FEASIBLE"):
        return "-"
    return "ok" if not check(data, plan) else f"{len(check(data, plan))} VIOLATIONS"


def table(title: str, header: list[str], rows: list[list[Any]]) -> None:
    cells = [header, *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    print(f"\n{title}")
    for n, row in enumerate(cells):
        print("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def bench_rotations(sizes: list[tuple[int, int]], time_limit_s: float, workers: int) -> None:
    """Each size twice: deterministic (interleaved) search, then free parallel search."""
    rows = []
    for (years, nations), deterministic in product(sizes, (True, False)):
        data = rotation_instance(years, nations, seed=2027, time_limit_s=time_limit_s, workers=workers)
        data["solver"]["deterministic"] = deterministic
        problem = parse_rotations(data)
        optimal, t_opt = timed(solve_rotations, problem)
        greedy, t_greedy = timed(greedy_rotations, problem)
        rows.append(
            [
                f"{years}y x 3 periods x 3 bases",
                nations,
                len(data["offers"]),
                "deterministic" if deterministic else "free",
                optimal["status"],
                f"{t_opt:.2f}",
                optimal["objective"],
                optimal.get("best_bound", "-"),
                verified(check_rotations, data, optimal),
                greedy["status"],
                f"{t_greedy:.3f}",
                greedy["objective"] if greedy["objective"] is not None else "-",
                verified(check_rotations, data, greedy),
            ]
        )
    table(
        "Rotations (cost, lower is better; synthetic instances)",
        [
            "instance",
            "nations",
            "offers",
            "search",
            "cp-sat",
            "time s",
            "cost",
            "bound",
            "check",
            "greedy",
            "time s",
            "cost",
            "check",
        ],
        rows,
    )


def bench_calendar(sizes: list[int], nations: int, time_limit_s: float, workers: int) -> None:
    rows = []
    for count in sizes:
        data = calendar_instance(count, nations, seed=2027, time_limit_s=time_limit_s, workers=workers)
        problem = parse_calendar(data)
        plan, t_plan = timed(solve_calendar, problem)
        greedy, t_greedy = timed(greedy_calendar, problem)
        gap = "-" if plan["gap"] is None else f"{plan['gap']:.2%}"
        rows.append(
            [
                count,
                nations,
                plan["status"],
                f"{t_plan:.1f}",
                len(plan["scheduled"]),
                plan["objective"],
                plan["best_bound"],
                gap,
                verified(check_calendar, data, plan),
                greedy["status"],
                f"{t_greedy:.2f}",
                len(greedy["scheduled"]),
                greedy["objective"],
                verified(check_calendar, data, greedy),
            ]
        )
    table(
        "Exercise calendar, 52 weeks (value, higher is better; synthetic instances)",
        [
            "exercises",
            "nations",
            "cp-sat",
            "time s",
            "placed",
            "value",
            "bound",
            "gap",
            "check",
            "greedy",
            "time s",
            "placed",
            "value",
            "check",
        ],
        rows,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes only (about a minute)")
    parser.add_argument("--workers", type=int, default=8, help="CP-SAT workers (default 8)")
    args = parser.parse_args()
    print(f"CPU cores: {os.cpu_count()}, CP-SAT workers: {args.workers}, instance seed 2027, CP-SAT seed 0")
    print("SYNTHETIC instances (made-up nations, bases and areas), not facts about any real plan.")
    if args.quick:
        bench_rotations([(2, 12), (4, 16)], time_limit_s=60, workers=args.workers)
        bench_calendar([50], nations=32, time_limit_s=10, workers=args.workers)
    else:
        bench_rotations([(10, 20)], time_limit_s=600, workers=args.workers)
        bench_calendar([50, 200, 500], nations=32, time_limit_s=60, workers=args.workers)


if __name__ == "__main__":
    main()
