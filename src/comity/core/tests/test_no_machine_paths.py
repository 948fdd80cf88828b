"""No tracked file names a path of one development machine: a checkout must work wherever it lies."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
#: Written in two parts so that this file does not match itself.
MACHINE_ROOT = "/" + "work/"


def _tracked_text_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split("\0")
    return [ROOT / name for name in listed if name and (ROOT / name).is_file()]


def test_no_tracked_text_file_holds_an_absolute_workspace_path() -> None:
    files = _tracked_text_files()
    assert ROOT / "pyproject.toml" in files  # the listing is this checkout's, not an empty one
    offending = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary files (images, fonts) hold no paths to fix
        offending += [
            f"{path.relative_to(ROOT)}:{number}"
            for number, line in enumerate(text.splitlines(), start=1)
            if MACHINE_ROOT in line
        ]
    assert offending == []
