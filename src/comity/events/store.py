"""The Parquet event store: layout, staging, all-or-nothing commits, and opening it in an engine.

Layout under the store root (``DATA_DIR/events`` by default)::

    store/year=YYYY/month=M/part-<uuid>.parquet   events, hive-partitioned by the event date
    rejects/<UTC timestamp>-<file name>.csv       one quarantine file per ingest with rejects
    .staging-<uuid>/                              an ingest in progress (removed at the end)
    .lock                                         held while an ingest commits

An ingest writes everything under its staging folder and only moves finished Parquet files into
``store/``; a file that fails to read leaves ``store/`` exactly as it was.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import ibis
import ibis.expr.types as ir
from ibis.backends import BaseBackend

from comity.events.schema import EVENT_SCHEMA, empty_events

#: DuckDB's memory cap while committing; beyond it DuckDB spills to the staging folder.
MEMORY_LIMIT = "1GB"


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def store_dir(root: Path) -> Path:
    return root / "store"


def has_events(root: Path) -> bool:
    return any(store_dir(root).glob("year=*/month=*/*.parquet"))


@contextmanager
def staging(root: Path) -> Iterator[Path]:
    """A private folder next to the store (same file system, so moves are renames)."""
    root.mkdir(parents=True, exist_ok=True)
    folder = root / f".staging-{uuid.uuid4().hex}"
    folder.mkdir()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """Serialise ingests: two at once could both judge the same event new."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def commit(root: Path, staged: Path) -> tuple[int, int]:
    """Move the new events of the staged chunks into the store; return (accepted, duplicates).

    Duplicates are judged on (origin_format, event_id): within the file the first line wins,
    and an event already in the store is never written again, so re-ingesting changes nothing.
    """
    if not any(staged.glob("chunk-*.parquet")):
        return 0, 0
    out = staged / "out"
    columns = ", ".join(f.name for f in EVENT_SCHEMA)
    chunk_glob = _quoted(staged / "chunk-*.parquet")
    con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "temp_directory": str(staged / "spill")})
    try:
        total, distinct = con.execute(
            f"SELECT count(*), count(DISTINCT (origin_format, event_id)) FROM read_parquet('{chunk_glob}')"  # noqa: S608
        ).fetchone()  # type: ignore[misc]
        query = f"SELECT {columns}, year(date) AS year, month(date) AS month FROM read_parquet('{chunk_glob}') s"  # noqa: S608
        if distinct < total:  # the window is costly: only pay for it when the file repeats an id
            query += " QUALIFY row_number() OVER (PARTITION BY origin_format, event_id ORDER BY _line) = 1"
        if has_events(root):
            stored = _quoted(store_dir(root) / "year=*" / "month=*" / "*.parquet")
            query = (
                f"SELECT * FROM ({query}) s WHERE NOT EXISTS (SELECT 1 FROM "  # noqa: S608
                f"read_parquet('{stored}', hive_partitioning = false) k "
                "WHERE k.origin_format = s.origin_format AND k.event_id = s.event_id)"
            )
        accepted = con.execute(
            f"COPY ({query}) TO '{_quoted(out)}' (FORMAT parquet, PARTITION_BY (year, month), "
            "FILENAME_PATTERN 'part-{uuid}', COMPRESSION zstd)"
        ).fetchone()[0]  # type: ignore[index]
    finally:
        con.close()
    for file in out.glob("year=*/month=*/*.parquet") if accepted else ():
        target = store_dir(root) / file.parent.parent.name / file.parent.name
        target.mkdir(parents=True, exist_ok=True)
        os.replace(file, target / file.name)
    return accepted, total - accepted


def events_table(con: BaseBackend, root: Path) -> ir.Table:
    """The stored events as a table of ``con`` (DuckDB or Spark); empty when nothing is stored.

    On DuckDB the view has one name per store, so that a connection kept for a thread reads the
    same table every time (and its compiled statements, see ``statements``, are reused).
    """
    if con.name == "duckdb":
        name = "comity_events_" + hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
        if not has_events(root):
            # On ``con``, not as an unbound memtable: that would run on ibis's default backend,
            # one DuckDB connection for every thread, which refuses a second concurrent caller.
            return con.create_table(f"{name}_empty", empty_events(), temp=True, overwrite=True)
        pattern = str(store_dir(root) / "year=*" / "month=*" / "*.parquet")
        return con.read_parquet(pattern, table_name=name, hive_partitioning=False)
    if not has_events(root):
        return ibis.memtable(empty_events())
    # Spark adds the partition columns (year, month) to the stored ones.
    return con.read_parquet(str(store_dir(root))).select(*[f.name for f in EVENT_SCHEMA])
