"""Benchmark of event ingest and dyadic series against DuckDB and pandas (prints tables; not a test).

    python bench/events_bench.py            # ingest 1M rows; series over 1M, 10M, 100M events; Spark at 10M
    python bench/events_bench.py --quick    # ingest 100k rows; series over 1M events; no Spark

All inputs are REAL rows resampled: the ingest input repeats the lines of the shipped GDELT 2.0
export (its own 2,111 rows when they are at hand in ``shared/data``, else the 400-row test sample)
with fresh GLOBALEVENTIDs; the series stores draw rows, with replacement, from the shipped samples
(GDELT 1.0/2.0, ICEWS, PLOVER) as ingested. Every measurement runs in its own process (so that
its peak memory, the VmHWM of the Python process, is its own; Spark's JVM is not included) and
keeps the best of three runs. comity's series is first asked once for another dyad of the same
shape, untimed but reported: that call compiles the query (comity.events.statements), and the timed
calls bind their values to it, as an analyst's successive questions do.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = PROJECT_ROOT / "src" / "comity" / "data" / "events" / "samples"
#: The development workspace keeps the full export in ``shared/data`` beside the checkout.
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
SHARED_GDELT2 = SHARED_DATA / "gdelt" / "gdelt2_export_20191024143000.tsv"
SAMPLES = [
    ("gdelt1_georgia_2012H1_dyadic.tsv", "gdelt1"),
    ("gdelt1_daily_export_sample_reed9999.tsv", "gdelt1"),
    ("gdelt2_export_20191024143000_first400.tsv", "gdelt2"),
    ("icews_events_2018_sample_first600.tab", "icews"),
    ("PLOVER_GSR_CAMEO.json", "plover"),
]
SOURCE, TARGET = "NATO", "RUS"
#: The dyad of the untimed first call (same shape of query as SOURCE -> TARGET).
WARM_TARGET = "CHN"


# --- inputs ------------------------------------------------------------------------------------


def enlarged_gdelt2(path: Path, rows: int) -> Path:
    """Repeat the real GDELT 2.0 lines up to ``rows`` lines, renumbering GLOBALEVENTID."""
    source = SHARED_GDELT2
    if not source.exists():
        source = TEST_DATA / "gdelt2_export_20191024143000_first400.tsv"
        print(f"(no {SHARED_GDELT2}: the ingest input repeats the 400-row test sample {source.name})", file=sys.stderr)
    lines = source.read_text(encoding="utf-8").splitlines()
    with path.open("w", encoding="utf-8") as out:
        for i in range(rows):
            fields = lines[i % len(lines)].split("\t", 1)
            out.write(f"{i + 1}\t{fields[1]}\n")
    return path


def base_store(root: Path) -> Path:
    """The shipped samples ingested once (the real rows the series stores resample)."""
    from comity.events.services import ingest_file

    for name, fmt in SAMPLES:
        ingest_file(TEST_DATA / name, fmt, label_id=1, root=root)
    return root


def resampled_store(base: Path, root: Path, rows: int) -> Path:
    """A store of ``rows`` events drawn with replacement from the base store's real rows."""
    pattern = str(base / "store" / "*" / "*" / "*.parquet")
    out = root / "store"
    root.mkdir(parents=True)
    with duckdb.connect() as con:
        con.execute(
            "CREATE TABLE base AS SELECT *, row_number() OVER () - 1 AS rn "  # noqa: S608
            f"FROM read_parquet('{pattern}', hive_partitioning = false)"
        )
        n = con.execute("SELECT count(*) FROM base").fetchone()[0]  # type: ignore[index]
        con.execute(
            f"COPY (SELECT b.* EXCLUDE (rn) REPLACE (b.event_id || '-' || r.i AS event_id), "  # noqa: S608
            f"year(b.date) AS year, month(b.date) AS month FROM range({rows}) r(i) "
            f"JOIN base b ON b.rn = hash(r.i) % {n}) TO '{out}' "
            "(FORMAT parquet, PARTITION_BY (year, month), COMPRESSION zstd)"
        )
    return root


def membership_rows() -> list[dict[str, Any]]:
    from comity.registry.loader import read_registry

    data = read_registry()
    established = {f.code: f.established for f in data.frameworks}
    rows = [{"group": m.organisation, "iso3": m.iso3, "start": m.joined, "end": m.left} for m in data.memberships]
    return rows + [
        {"group": p.framework, "iso3": p.iso3, "start": p.start or established.get(p.framework), "end": p.end}
        for p in data.participations
    ]


def membership_arrow() -> Any:
    import pyarrow as pa

    from comity.events.analytics import MEMBERSHIP_SCHEMA

    return pa.Table.from_pylist(membership_rows(), schema=MEMBERSHIP_SCHEMA)


# --- measurements (each runs in a child process) ---------------------------------------------


#: Each call is timed this many times and the best time kept (the VM is shared and noisy).
REPEAT = 3


def timed(call: Callable[[int], Any]) -> Any:
    """Run ``call(run number)`` REPEAT times; report the best wall time alone on stderr."""
    best = float("inf")
    for run in range(REPEAT):
        started = time.perf_counter()
        result = call(run)
        best = min(best, time.perf_counter() - started)
    print(json.dumps({"query_s": best}), file=sys.stderr)
    return result


def ingest_comity(path: str, work: str) -> int:
    from comity.events.services import ingest_file

    report = timed(lambda run: ingest_file(Path(path), "gdelt2", label_id=1, root=Path(work) / f"comity-{run}"))
    return report.accepted


def ingest_duckdb(path: str, work: str) -> int:
    out = Path(work) / "duckdb.parquet"
    with duckdb.connect() as con:
        query = (
            f"COPY (SELECT * FROM read_csv('{path}', delim = '\t', header = false, quote = '', escape = '')) "  # noqa: S608
            f"TO '{out}' (FORMAT parquet, COMPRESSION zstd)"
        )
        timed(lambda _: con.execute(query))
        return con.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchone()[0]  # type: ignore[index]  # noqa: S608


def series_comity(root: str, engine: str = "duckdb") -> list[Any]:
    import ibis

    from comity.events import analytics, engines, store

    con = engines.connect(engine)
    events, membership = store.events_table(con, Path(root)), ibis.memtable(membership_arrow())
    groups = {row["group"] for row in membership_rows()}

    def series(target: str) -> Any:
        return analytics.dyad_series(
            events, membership, source=SOURCE, target=target, freq="month", visible_label_ids=[1], groups=groups
        )

    # The first call of a query shape compiles it (see comity.events.statements); it asks for
    # another dyad, so the timed calls below bind new values rather than repeat a known query.
    started = time.perf_counter()
    series(WARM_TARGET)
    print(json.dumps({"first_s": time.perf_counter() - started}), file=sys.stderr)
    table = timed(lambda _: series(TARGET))
    return [[r["period"], r["events"], round(r["goldstein_sum"] or 0, 3)] for r in table.to_pylist()]


SERIES_SQL = """
SELECT strftime(period, '%Y-%m') AS period, events, goldstein_sum, goldstein_mean,
       verbal_coop, material_coop, verbal_conflict, material_conflict
FROM (
    SELECT date_trunc('month', e.date) AS period, count(*) AS events,
           sum(e.goldstein) AS goldstein_sum, avg(e.goldstein) AS goldstein_mean,
           count(*) FILTER (WHERE quad_class = 1) AS verbal_coop,
           count(*) FILTER (WHERE quad_class = 2) AS material_coop,
           count(*) FILTER (WHERE quad_class = 3) AS verbal_conflict,
           count(*) FILTER (WHERE quad_class = 4) AS material_conflict
    FROM read_parquet('{pattern}', hive_partitioning = false) e
    WHERE e.label_id IN (1) AND e.target_country = '{target}' AND EXISTS (
        SELECT 1 FROM membership m WHERE m."group" = '{source}' AND m.iso3 = e.source_country
        AND (m.start IS NULL OR m.start <= e.date) AND (m."end" IS NULL OR e.date < m."end"))
    GROUP BY 1
)
ORDER BY 1
"""


def series_sql(root: str) -> list[Any]:
    pattern = str(Path(root) / "store" / "*" / "*" / "*.parquet")
    with duckdb.connect() as con:
        con.register("membership", membership_arrow())
        query = SERIES_SQL.format(pattern=pattern, source=SOURCE, target=TARGET)
        rows = timed(lambda _: con.execute(query).fetchall())
    return [[r[0], r[1], round(r[2] or 0, 3)] for r in rows]


def series_pandas(root: str) -> list[Any]:
    return timed(lambda _: _pandas_series(root))


def _pandas_series(root: str) -> list[Any]:
    import pandas as pd

    columns = ["date", "source_country", "target_country", "quad_class", "goldstein", "label_id"]
    events = pd.read_parquet(Path(root) / "store", columns=columns)
    events = events[(events.label_id == 1) & (events.target_country == TARGET)]
    spells = pd.DataFrame(membership_rows())
    spells = spells[spells.group == SOURCE]
    joined = events.merge(spells, left_on="source_country", right_on="iso3")
    day = pd.to_datetime(joined.date)
    inside = (joined.start.isna() | (pd.to_datetime(joined.start) <= day)) & (
        joined.end.isna() | (day < pd.to_datetime(joined.end))
    )
    joined = joined[inside].assign(period=day[inside].dt.strftime("%Y-%m"))
    grouped = joined.groupby("period").agg(events=("date", "size"), goldstein_sum=("goldstein", "sum"))
    return [[p, int(r.events), round(float(r.goldstein_sum), 3)] for p, r in grouped.sort_index().iterrows()]


MEASURES = {
    "ingest_comity": ingest_comity,
    "ingest_duckdb": ingest_duckdb,
    "series_comity": series_comity,
    "series_sql": series_sql,
    "series_pandas": series_pandas,
}


def child(name: str, args: list[str]) -> None:
    """Run one measurement and print its result and peak RSS as JSON (its time goes to stderr)."""
    result = MEASURES[name](*args)
    print(json.dumps({"result": result, "peak_mb": peak_rss_mb()}))


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; unlike ru_maxrss it does not survive exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(name: str, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", name, *args], capture_output=True, text=True, check=True
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    for line in done.stderr.splitlines():
        if line.startswith(('{"query_s"', '{"first_s"')):
            report |= json.loads(line)
    return report


# --- main --------------------------------------------------------------------------------------


def row(*cells: object) -> None:
    print("  ".join(f"{c:>16}" if i else f"{c:<28}" for i, c in enumerate(cells)))


def bench_ingest(work: Path, rows: int) -> None:
    path = enlarged_gdelt2(work / "gdelt2_enlarged.tsv", rows)
    ours = measure("ingest_comity", str(path), str(work))
    duck = measure("ingest_duckdb", str(path), str(work))
    assert ours["result"] == duck["result"] == rows, (ours["result"], duck["result"])
    print(f"\nIngest of {rows:,} GDELT 2.0 rows ({path.stat().st_size / 1e6:.0f} MB), target >= 0.7x DuckDB")
    row("", "rows/s", "peak MB", "ratio")
    for label, report in (("comity ingest", ours), ("duckdb read_csv + COPY", duck)):
        ratio = duck["query_s"] / report["query_s"]
        row(label, f"{rows / report['query_s']:,.0f}", f"{report['peak_mb']:,.0f}", f"{ratio:.2f}x")


def bench_series(work: Path, sizes: list[int], spark_at: int | None) -> None:
    base = base_store(work / "base")
    print(f"\nMonthly {SOURCE} -> {TARGET} series (group membership on each event's date), target >= 0.8x SQL")
    row("events", "engine", "seconds", "peak MB", "vs hand SQL", "first call s")
    for size in sizes:
        root = resampled_store(base, work / f"store-{size}", size)
        os.sync()  # the new store's pages on disk first: their write-back must not fall into a timing
        sql = measure("series_sql", str(root))
        runs = [("comity (duckdb)", measure("series_comity", str(root)))]
        if size <= 10_000_000:
            runs.append(("pandas group-by", measure("series_pandas", str(root))))
        if spark_at == size:
            runs.append(("comity (spark)", measure("series_comity", str(root), "spark")))
        row(f"{size:,}", "hand-written SQL", f"{sql['query_s']:.3f}", f"{sql['peak_mb']:,.0f}", "1.00x")
        for label, report in runs:
            assert report["result"] == sql["result"], f"{label} disagrees with SQL at {size}"
            seconds = report["query_s"]
            first = f"{report['first_s']:.2f}" if "first_s" in report else ""
            row("", label, f"{seconds:.3f}", f"{report['peak_mb']:,.0f}", f"{sql['query_s'] / seconds:.2f}x", first)
        shutil.rmtree(root)
    print("Times are the call alone (best of three): imports, connections and Spark's session start are")
    print("excluded. 'first call' is comity's first query of this shape in the process (NATO -> CHN),")
    print("which compiles the statement that the timed NATO -> RUS calls then bind their values to;")
    print("pandas' time includes reading the Parquet columns it needs.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only, no Spark")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1:])
        return
    work = Path(tempfile.mkdtemp(prefix="comity-events-bench-"))
    try:
        bench_ingest(work, 100_000 if args.quick else 1_000_000)
        sizes = [1_000_000] if args.quick else [1_000_000, 10_000_000, 100_000_000]
        bench_series(work, sizes, spark_at=None if args.quick else 10_000_000)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
