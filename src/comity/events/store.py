"""The Parquet event store: layout, staging, all-or-nothing commits, and opening it in an engine.

Layout under the store root (``DATA_DIR/events`` by default)::

    store/year=YYYY/month=M/part-<uuid>.parquet   events, hive-partitioned by the event date
    rejects/<UTC timestamp>-<file name>.csv       one quarantine file per ingest with rejects
    .staging-<uuid>/                              an ingest in progress (removed at the end)
    .commit-<uuid>/                               a decided commit whose files are being moved
    .lock                                         held while an ingest commits

An ingest writes everything under its staging folder and only moves finished Parquet files into
``store/``; a file that fails to read leaves ``store/`` exactly as it was.

Crash safety (an ingest killed at any moment, even with SIGKILL): every file in ``store/`` got there
by a rename of a finished file, so the store is always readable. The commit point is one rename
of the finished output folder to ``.commit-<uuid>``; the next commit (under the lock) first moves
what such a folder still holds into the store (roll forward), so a decided commit is never lost
nor applied twice, and removes the staging folders of killed ingests (an ingest holds a lock on
its own folder while it lives). A re-run of the killed ingest then adds exactly the events still
missing: events are identified by (origin_format, event_id), and one already stored is never
written again.
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
    """A private folder next to the store (same file system, so moves are renames).

    The folder is prepared under another name and renamed once its owner lock is held, so that
    ``sweep`` never mistakes a folder being set up for one left by a killed ingest.
    """
    root.mkdir(parents=True, exist_ok=True)
    name = uuid.uuid4().hex
    new = root / f".new-{name}"
    new.mkdir()
    with (new / ".owner").open("w") as owner:
        fcntl.flock(owner, fcntl.LOCK_EX)  # released by the kernel when this process dies
        folder = new.rename(root / f".staging-{name}")
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def sweep(root: Path) -> None:
    """Remove what killed ingests left: staging folders nobody holds, half-written rejects files."""
    for folder in [*root.glob(".staging-*"), *root.glob(".new-*")]:
        try:
            handle = (folder / ".owner").open("a")
        except FileNotFoundError:  # killed between mkdir and the lock (only a .new- folder)
            shutil.rmtree(folder, ignore_errors=True)
            continue
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live ingest's
            shutil.rmtree(folder, ignore_errors=True)
    for partial in (root / "rejects").glob(".*.tmp"):
        partial.unlink(missing_ok=True)


def recover(root: Path) -> None:
    """Finish every decided commit a killed ingest left half-moved (call under ``locked``)."""
    for decided in sorted(root.glob(".commit-*")):
        _move_into_store(root, decided)


def _move_into_store(root: Path, folder: Path) -> None:
    for file in folder.glob("year=*/month=*/*.parquet"):
        target = store_dir(root) / file.parent.parent.name / file.parent.name
        target.mkdir(parents=True, exist_ok=True)
        os.replace(file, target / file.name)
    shutil.rmtree(folder)


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
    Call under ``locked``: what killed ingests left is finished or removed first.
    """
    recover(root)
    sweep(root)
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
    if accepted:
        decided = root / f".commit-{staged.name.removeprefix('.staging-')}"
        out.rename(decided)  # the commit point: from here on the events go in, now or at the next commit
        _move_into_store(root, decided)
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
