"""The benchmark scripts still start and find their real inputs (they run outside the suite,
so a moved data file would otherwise go unnoticed until someone measures)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[4] / "bench"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("script", sorted(p.name for p in BENCH.glob("*_bench.py")))
def test_bench_script_starts(script: str) -> None:
    done = subprocess.run([sys.executable, str(BENCH / script), "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout


def test_events_bench_inputs_exist() -> None:
    events_bench = _load("events_bench")
    missing = [name for name, _ in events_bench.SAMPLES if not (events_bench.TEST_DATA / name).is_file()]
    assert not missing
