"""Benchmark of the dyad-year panel against a straightforward pandas build of the same panel.

    python bench/panel_bench.py            # the full directed COW panel 1816-2016, best of 3
    python bench/panel_bench.py --quick    # 1816-1900, once (a few seconds)

Both builds start from the same shipped files (COW v2016 membership, the capitals, ATOP
dyad-years), add the ATOP flags and the capital distance, and end with an in-memory table; writing
Parquet is left out of both. Each build runs in a fresh process of its own, so its peak memory
(peak resident set size above the process's size before the build) is its own. The row check
sorts both panels and compares them: codes, years and flags exactly, distances to 1e-9 relative
(comity uses the chord formula through pyarrow, pandas the haversine through numpy).
The data are real (src/comity/data/); nothing here is synthetic.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from comity.assessment import panels

GOAL_S = 1.5
VARIABLES = ("alliance", "capital_distance")
KEY = ["ccode1", "ccode2", "year"]


def pandas_build(start: int, end: int) -> pd.DataFrame:
    """The obvious pandas build: explode spells to years, self-merge on year, merge the adders."""
    states = pd.read_csv(panels.COW_STATES)
    states["year"] = [
        list(range(max(s, start), min(e, end) + 1)) for s, e in zip(states.styear, states.endyear, strict=True)
    ]
    members = states.explode("year").dropna(subset=["year"])[["ccode", "year"]].drop_duplicates()
    members["year"] = members["year"].astype(int)
    dyads = members.merge(members, on="year", suffixes=("1", "2"))
    dyads = dyads[dyads.ccode1 != dyads.ccode2]

    atop = pd.read_csv(panels.ATOP_ALLIANCES).rename(columns={"ccode1": "low", "ccode2": "high"})
    dyads = dyads.assign(low=np.minimum(dyads.ccode1, dyads.ccode2), high=np.maximum(dyads.ccode1, dyads.ccode2))
    dyads = dyads.merge(atop, on=["low", "high", "year"], how="left").drop(columns=["low", "high"])
    dyads[list(panels.ALLIANCE_FLAGS)] = dyads[list(panels.ALLIANCE_FLAGS)].fillna(0).astype("int8")

    capitals = pd.read_csv(panels.COW_CAPITALS, parse_dates=["stdate", "enddate"])
    capitals["year"] = [list(range(s.year, e.year + 1)) for s, e in zip(capitals.stdate, capitals.enddate, strict=True)]
    capitals = capitals.explode("year").sort_values(["ccode", "year", "stdate"])
    capitals = capitals.drop_duplicates(["ccode", "year"], keep="first")[["ccode", "year", "lat", "lng"]]
    capitals["year"] = capitals["year"].astype(int)
    for side in ("1", "2"):
        dyads = dyads.merge(
            capitals.rename(columns={"ccode": f"ccode{side}", "lat": f"lat{side}", "lng": f"lng{side}"}),
            on=[f"ccode{side}", "year"],
            how="left",
        )
    lat1, lng1, lat2, lng2 = (np.radians(dyads[c]) for c in ("lat1", "lng1", "lat2", "lng2"))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lng2 - lng1) / 2) ** 2
    dyads["capdist"] = 2 * panels.EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))
    return dyads[[*KEY, *panels.ALLIANCE_FLAGS, "capdist"]]


def comity_build(start: int, end: int) -> pa.Table:
    return panels.build_dyad_years(panels.read_inputs(), start=start, end=end, variables=VARIABLES)


def _rss_kib() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() // 1024


def measure(which: str, start: int, end: int, repeat: int, out: str) -> dict[str, float]:
    """In a fresh process: the best of ``repeat`` builds, the peak memory, and the panel saved for the check."""
    build = comity_build if which == "comity" else pandas_build
    before = _rss_kib()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        panel = build(start, end)
        times.append(time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    frame = panel if isinstance(panel, pd.DataFrame) else panel.to_pandas()
    frame.reset_index(drop=True).to_parquet(out)
    return {"seconds": min(times), "peak_mib": peak / 1024, "rows": len(frame)}


def row_check(ours: pd.DataFrame, theirs: pd.DataFrame) -> str:
    ours, theirs = (f.sort_values(KEY).reset_index(drop=True) for f in (ours, theirs))
    if len(ours) != len(theirs):
        return f"DIFFERENT: {len(ours)} rows against {len(theirs)}"
    for column in (*KEY, *panels.ALLIANCE_FLAGS):
        if not np.array_equal(ours[column].to_numpy(np.int64), theirs[column].to_numpy(np.int64)):
            return f"DIFFERENT in {column}"
    if not np.allclose(ours.capdist, theirs.capdist, rtol=1e-9, atol=1e-9, equal_nan=True):
        return "DIFFERENT in capdist"
    worst = float(np.nanmax(np.abs(ours.capdist - theirs.capdist)))
    return f"identical ({len(ours)} rows; capdist differs by at most {worst:.1e} km)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1816-1900, one build each")
    parser.add_argument("--repeat", type=int, help="builds per side, best taken (default 3, quick 1)")
    args = parser.parse_args()
    start, end = (1816, 1900) if args.quick else (1816, 2016)
    repeat = args.repeat or (1 if args.quick else 3)
    context = multiprocessing.get_context("spawn")
    results, frames = {}, {}
    with tempfile.TemporaryDirectory() as scratch:
        for which in ("comity", "pandas"):
            out = str(Path(scratch) / f"{which}.parquet")
            with context.Pool(1) as pool:
                results[which] = pool.apply(measure, (which, start, end, repeat, out))
            frames[which] = pq.read_table(out).to_pandas()
        check = row_check(frames["comity"], frames["pandas"])
    ours, theirs = results["comity"], results["pandas"]
    print(f"\nDirected COW dyad-years {start}-{end} with ATOP alliance flags and capital distance")
    print(f"(real data; best of {repeat} in a fresh process each; peak = peak RSS above the size before the build)\n")
    print(f"{'build':<28}{'rows':>12}{'time s':>10}{'peak MiB':>10}")
    print(f"{'comity (DuckDB/Arrow)':<28}{ours['rows']:>12,}{ours['seconds']:>10.3f}{ours['peak_mib']:>10.0f}")
    print(f"{'pandas (merge)':<28}{theirs['rows']:>12,}{theirs['seconds']:>10.3f}{theirs['peak_mib']:>10.0f}")
    print(f"\ntime ratio pandas / comity: {theirs['seconds'] / ours['seconds']:.1f}")
    print(f"row check: {check}")
    if not args.quick:
        verdict = "met" if ours["seconds"] < GOAL_S else "NOT met"
        print(f"goal: the full panel under {GOAL_S} s on this machine: {verdict}")


if __name__ == "__main__":
    main()
