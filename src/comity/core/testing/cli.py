"""The ``comity`` console script as a user runs it: a fresh process, its own data directory and
database, so a test sees exactly what the user would (exit status, stdout, stderr)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def console_script(data_dir: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``comity ARGS`` under the base settings with a fresh SQLite database in ``data_dir``."""
    env = {
        **os.environ,
        "COMITY_DATA_DIR": str(data_dir),
        "COMITY_DATABASE_URL": f"sqlite:///{data_dir / 'fresh.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "comity.settings.base",
    }
    return subprocess.run(  # noqa: S603 - our own console script, with the test's arguments
        [sys.executable, "-m", "comity.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
