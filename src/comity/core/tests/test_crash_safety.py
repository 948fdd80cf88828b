"""Nothing acknowledged is lost: ``bench/crash_bench.py --quick`` kills the application server
under concurrent API writes and the check finds every acknowledged write exactly once, with its
change-log entry, while the ack-before-commit control loses writes (so the check can see losses).

Only the application server is killed here: the database kills of the benchmark need a cluster of
their own, and the suite never kills the PostgreSQL server other suites run on. On PostgreSQL
(``COMITY_DATABASE_URL``) the run gets a fresh database on that server; otherwise SQLite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[4] / "bench" / "crash_bench.py"


@pytest.mark.database_url
def test_no_acknowledged_write_is_lost_when_the_server_is_killed() -> None:
    url = os.environ.get("COMITY_DATABASE_URL", "")
    database = url if url.startswith("postgres") else "sqlite"
    command = [sys.executable, str(BENCH), "--quick", "--database", database, "--kill", "app", "--workers", "2"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    normal, control = figures["normal"], figures["ack-before-commit"]
    assert normal["acknowledged"] + normal["unfinished"] + normal["refused"] == 100
    assert normal["acknowledged"] > 0 and normal["kills"]["app"] == 2
    assert (normal["lost"], normal["duplicates"], normal["orphans"], normal["wrong_answers"]) == (0, 0, 0, 0)
    assert control["lost"] > 0, "the control lost nothing: the check cannot be shown to see losses"
