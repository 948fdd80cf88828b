"""A killed ingest leaves the store readable, and a re-run completes it: no duplicate, no missing row.

The ingest runs in a child process on the shipped GDELT and ICEWS samples and is killed with
SIGKILL after several delays (spread over a clean ingest's duration, so that some kills land
while blocks are staged and some while the commit moves files); one more child kills itself just
after the commit point, with one file moved, to prove the roll forward.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from comity.events.services import ingest_file
from comity.events.tests.conftest import DATA, GEORGIA, PUBLIC

ICEWS = DATA / "icews_events_2018_sample_first600.tab"
FILES = ((GEORGIA, "gdelt1"), (ICEWS, "icews"))
#: Small blocks: many staged chunks, so the ingest lasts long enough to be killed part-way.
BLOCK = 40_000

CHILD = """
import sys, time
from pathlib import Path
from comity.events import store
from comity.events.services import ingest_file
root = Path(sys.argv[1])
if sys.argv[2] == "die-after-commit-point":
    import os, signal
    def one_then_die(root, folder):
        first = next(folder.glob("year=*/month=*/*.parquet"))
        (store.store_dir(root) / first.parent.parent.name / first.parent.name).mkdir(parents=True, exist_ok=True)
        os.replace(first, store.store_dir(root) / first.parent.parent.name / first.parent.name / first.name)
        os.kill(os.getpid(), signal.SIGKILL)
    store._move_into_store = one_then_die
print("ready", flush=True)
started = time.perf_counter()
for path, fmt in ((Path(sys.argv[3]), "gdelt1"), (Path(sys.argv[4]), "icews")):
    ingest_file(path, fmt, label_id=int(sys.argv[5]), root=root, block_bytes=int(sys.argv[6]))
print(time.perf_counter() - started, flush=True)
"""


def _child(root: Path, mode: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", CHILD, str(root), mode, str(GEORGIA), str(ICEWS), str(PUBLIC), str(BLOCK)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ)
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    return child


def _contents(root: Path) -> tuple[int, int, list[tuple[str, str, str]]]:
    """(rows, distinct event keys, a digest of every row) of a store, read the way analytics read it."""
    files = list((root / "store").glob("year=*/month=*/*.parquet"))
    if not files:
        return 0, 0, []
    with duckdb.connect() as con:
        pattern = str(root / "store" / "year=*" / "month=*" / "*.parquet")
        con.execute(f"CREATE VIEW e AS SELECT * FROM read_parquet('{pattern}', hive_partitioning = false)")  # noqa: S608
        rows, distinct = con.execute("SELECT count(*), count(DISTINCT (origin_format, event_id)) FROM e").fetchone()  # type: ignore[misc]
        digest = con.execute("SELECT origin_format, event_id, md5(CAST(e AS VARCHAR)) FROM e ORDER BY 1, 2").fetchall()
    return rows, distinct, digest


def _leftovers(root: Path) -> list[str]:
    names = [".staging-*", ".new-*", ".commit-*", "rejects/.*.tmp"]
    return sorted(str(p.relative_to(root)) for name in names for p in root.glob(name))


def _rerun(root: Path) -> None:
    for path, fmt in FILES:
        ingest_file(path, fmt, label_id=PUBLIC, root=root, block_bytes=BLOCK)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[tuple[int, int, list[tuple[str, str, str]]], float]:
    """The store of an uninterrupted ingest, and how long the child took."""
    root = tmp_path_factory.mktemp("clean")
    child = _child(root, "run")
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    return _contents(root), float(out.strip())


@pytest.mark.parametrize("fraction", [0.05, 0.3, 0.6, 0.85, 0.98])
def test_a_killed_ingest_is_readable_and_a_rerun_completes_it(
    tmp_path: Path, clean: tuple[tuple[int, int, list[tuple[str, str, str]]], float], fraction: float
) -> None:
    expected, seconds = clean
    child = _child(tmp_path, "run")
    time.sleep(seconds * fraction)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=60)
    rows, distinct, _ = _contents(tmp_path)  # readable whatever the moment: every stored file is whole
    assert rows == distinct <= expected[0]
    _rerun(tmp_path)
    assert _contents(tmp_path) == expected
    assert _leftovers(tmp_path) == []


def test_a_commit_killed_after_its_commit_point_is_rolled_forward(
    tmp_path: Path, clean: tuple[tuple[int, int, list[tuple[str, str, str]]], float]
) -> None:
    child = _child(tmp_path, "die-after-commit-point")
    child.communicate(timeout=120)
    assert child.returncode == -signal.SIGKILL
    assert [p.name for p in tmp_path.glob(".commit-*")]  # decided, one file moved, the rest waiting
    stored_before = _contents(tmp_path)[0]
    assert 0 < stored_before < clean[0][0]
    _rerun(tmp_path)
    assert _contents(tmp_path) == clean[0]
    assert _leftovers(tmp_path) == []
