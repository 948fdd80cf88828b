"""Writes to the event store: ingesting one file of events.

The functions take the store root and a label id explicitly (defaults come from settings) so
that views, the CLI and tests call the same code.
"""

from __future__ import annotations

import csv
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings

from comity.events import store
from comity.events.readers import READERS, Chunk, UnreadableFileError
from comity.events.schema import FORMATS, REJECT_COLUMNS

#: Bytes read per block; each block becomes one staged chunk (bounded memory whatever the size).
BLOCK_BYTES = 8 << 20

#: Blocks parsed at once (pyarrow compute releases the GIL, so threads use several cores).
WORKERS = max(1, min(4, os.cpu_count() or 1))

#: Reject reasons that, when they account for every line, mean the file is not ``fmt`` at all.
UNREADABLE_REASONS = ("wrong column count", "not UTF-8 text", "carriage return inside the line")

#: Called with (bytes read so far, file size) after each block: the CLI draws its progress bar.
Progress = Callable[[int, int], None]

__all__ = ["IngestReport", "UnreadableFileError", "default_root", "ingest_file"]


@dataclass(frozen=True)
class IngestReport:
    """What an ingest did: ``read == accepted + rejected + duplicates``."""

    read: int
    accepted: int
    rejected: int
    duplicates: int
    rejects_file: Path | None

    def counts(self) -> dict[str, int]:
        return {"read": self.read, "accepted": self.accepted, "rejected": self.rejected, "duplicates": self.duplicates}


def default_root() -> Path:
    """The event store's folder in the installation's data directory."""
    return Path(settings.DATA_DIR) / "events"


def ingest_file(
    path: Path,
    fmt: str,
    *,
    label_id: int,
    root: Path | None = None,
    progress: Progress | None = None,
    block_bytes: int = BLOCK_BYTES,
) -> IngestReport:
    """Read ``path`` as ``fmt``, store its new events under ``label_id``, quarantine bad rows.

    Raises ``UnreadableFileError`` (store untouched) when the file cannot be read as ``fmt``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    path, root = Path(path), root or default_root()
    if not path.is_file():
        raise UnreadableFileError(f"{path}: no such file")
    size = path.stat().st_size
    reader = READERS[fmt]
    read = 0
    rejects: list[tuple[int, str]] = []
    with store.staging(root) as staged, ThreadPoolExecutor(WORKERS) as pool:
        pending: deque[Future[Chunk]] = deque()

        def collect(future: Future[Chunk]) -> None:
            nonlocal read
            chunk = future.result()
            read += chunk.read
            rejects.extend(chunk.rejects)
            if progress:
                progress(chunk.position, size)

        # At most WORKERS blocks are parsed at once and one more is read: memory stays bounded.
        for number, block in enumerate(reader.blocks(path, block_bytes)):
            pending.append(pool.submit(_stage, reader.parse, block, staged / f"chunk-{number:06d}.parquet", label_id))
            if len(pending) >= WORKERS:
                collect(pending.popleft())
        while pending:
            collect(pending.popleft())
        if read and len(rejects) == read and all(r.startswith(UNREADABLE_REASONS) for _, r in rejects):
            raise UnreadableFileError(
                f"{path}: no line is a {fmt} record (wrong column count, not UTF-8 text or carriage returns)"
            )
        with store.locked(root):
            accepted, duplicates = store.commit(root, staged)
            rejects_file = _write_rejects(root, path, rejects) if rejects else None
    return IngestReport(read, accepted, len(rejects), duplicates, rejects_file)


def _stage(parse: Callable[[Any], Chunk], block: Any, target: Path, label_id: int) -> Chunk:
    """Parse one block and write its good rows (with label and line numbers) to a staged file."""
    chunk = parse(block)
    if chunk.events.num_rows:
        labels = pa.array([label_id] * chunk.events.num_rows, pa.int64())
        table = chunk.events.append_column("label_id", labels).append_column("_line", chunk.lines)
        pq.write_table(table, target, compression="none")
    return chunk


def _write_rejects(root: Path, source: Path, rejects: list[tuple[int, str]]) -> Path:
    """Write the quarantine CSV (file, line, reason), one row per dropped record.

    Written under a hidden temporary name and renamed when complete, so a killed ingest leaves no
    half a file (``store.sweep`` removes the temporary one).
    """
    folder = root / "rejects"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{stamp}-{source.name}.csv"
    partial = folder / f".{target.name}.tmp"
    with partial.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REJECT_COLUMNS)
        writer.writerows((str(source), line, reason) for line, reason in sorted(rejects))
    os.replace(partial, target)
    return target
