"""``make verify``: the long variants of the checks that keep comity's promises, with their figures.

Four groups, each run as its own process and summed up in one line per check:

1. No one sees or changes what they may not: the read matrix (16 users over every GET route and
   37 labels), the write matrix (every write route by nine kinds of user), revocation over 1,000
   seeded trials, and the least upper bound over 10,000 label compositions (``COMITY_VERIFY_SCALE``).
2. Nothing acknowledged is lost: ``bench/crash_bench.py`` where it exists.
3. Bad input breaks nothing: schemathesis over the OpenAPI schema and the file-reader fuzzers,
   at 25 times their ``make test`` examples.
4. Load: ``bench/load_bench.py``.

The suites run on PostgreSQL when ``COMITY_DATABASE_URL`` names it (the Makefile sets it). The
exit status is non-zero when any check fails; the figures go to ``docs/security.md`` by hand.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "src" / "comity"

#: (group, name, pytest paths under src/comity) of the suite-based checks.
SUITES = [
    ("authorization", "read matrix", ["core/tests/test_read_matrix.py"]),
    ("authorization", "write matrix", ["core/tests/test_write_matrix.py", "core/tests/test_write_rule.py"]),
    ("authorization", "revocation", ["core/tests/test_revocation.py"]),
    ("authorization", "least upper bound", ["core/tests/test_label_lub_property.py"]),
    ("authorization", "relation leaks", ["engagements/tests/test_relation_leaks.py"]),
    ("authorization", "no write-down in exports", ["engagements/tests/test_export_marking.py"]),
    ("bad input", "API fuzzing", ["core/tests/test_api_fuzz.py"]),
    (
        "bad input",
        "file readers",
        [
            "events/tests/test_readers_fuzz.py",
            "engagements/tests/test_import_fuzz.py",
            "core/tests/test_label_xml_fuzz.py",
            "planning/tests/test_input_fuzz.py",
        ],
    ),
]
#: (group, name, script, arguments) of the benchmark-based checks.
BENCHES = [
    ("crash safety", "SIGKILL rounds", "crash_bench.py", []),
    ("load", "open-loop load", "load_bench.py", []),
]


def run_suite(name: str, paths: list[str], env: dict[str, str], report: Path) -> tuple[bool, str]:
    present = [str(TESTS / p) for p in paths if (TESTS / p).exists()]
    if not present:
        return True, "not present in this checkout"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}", *present],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    suite = ET.parse(report).getroot()  # noqa: S314 - our own report file
    suite = suite if suite.tag == "testsuite" else suite[0]
    tests, failures = int(suite.get("tests", 0)), int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    if failures:
        sys.stdout.write(done.stdout[-4000:])
    return failures == 0, f"{tests - failures}/{tests} checks hold, {failures} fail ({seconds:.0f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the benchmarks' quick variants")
    args = parser.parse_args()
    env = {
        **os.environ,
        "COMITY_VERIFY_SCALE": os.environ.get("COMITY_VERIFY_SCALE", "25"),
        "COMITY_REVOCATION_TRIALS": os.environ.get("COMITY_REVOCATION_TRIALS", "1000"),
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
    }
    database = "PostgreSQL" if env.get("COMITY_DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(f"comity verify on {database}, scale x{env['COMITY_VERIFY_SCALE']}")
    ok = True
    reports = Path(tempfile.mkdtemp(prefix="comity-verify-"))
    for index, (group, name, paths) in enumerate(SUITES):
        held, line = run_suite(name, paths, env, reports / f"{index}.xml")
        ok &= held
        print(f"[{group}] {name}: {line}", flush=True)
    for group, name, script, extra in BENCHES:
        path = ROOT / "bench" / script
        if not path.exists():
            print(f"[{group}] {name}: {script} is not in this checkout")
            continue
        print(f"[{group}] {name}:", flush=True)
        done = subprocess.run(
            [sys.executable, str(path), *(["--quick"] if args.quick else []), *extra], env=env, cwd=ROOT, check=False
        )
        ok &= done.returncode == 0
    print("verify: every check holds" if ok else "verify: some checks FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
