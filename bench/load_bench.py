"""Open-loop load on ``comity serve`` with production settings: latency and errors at fixed rates,
the cost of label filtering, and a worker killed every period.

What it does, on loopback only, bounded in time, stopping by itself:

1. A fresh database (PostgreSQL when ``COMITY_BENCH_DATABASE_URL`` names one that may create
   databases, else SQLite), ``comity migrate``, ``setup``, ``demo``, ``collectstatic``; then
   ``comity serve --workers N`` under ``comity.settings.production``.
2. For each rate (requests per second), requests are *scheduled* at fixed intervals whatever the
   server does (open loop), over a realistic mix of pages and API calls as a signed-in analyst;
   each latency is measured from the scheduled time, so a slow server cannot hide its queue
   (coordinated omission). Printed: p50, p99, p99.9, errors, and the highest rate with p99 under
   500 ms and no 5xx.
3. The label-filtering cost: the same mix at one rate against a second server whose workers skip
   the label filter (``bench/nolabel_wsgi.py``, a benchmark-only patch; the product has no such
   switch), p99 side by side.
4. At 80% of the highest good rate, one worker is killed with SIGKILL every period: errors (only
   requests in flight on that worker may fail) and the time until the pool is whole again.

``--quick`` runs short phases at low rates (seconds, for CI); the figures of ``docs/security.md``
come from a full run (``make verify``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _serving import (  # the bench folder is not a package
    Server,
    drop_database,
    free_port,
    new_database,
    prepare,
    production_env,
)

PASSWORD = "comity-demo-2026"  # noqa: S105 - the documented demo password
#: The mix: (weight, path). Pages and API calls an analyst's day is made of.
MIX = [
    (20, "/api/engagements/exercises/?limit=50"),
    (10, "/api/engagements/engagements/?q=air&limit=20"),
    (10, "/engagements/"),
    (10, "/engagements/calendar/?year=2022&month=6"),
    (10, "/engagements/timeline/?from=2020&to=2023"),
    (10, "/registry/states/"),
    (10, "/api/registry/notes/"),
    (5, "/"),
    (5, "/engagements/vienna-document/"),
    (5, "/api/registry/alliance/?on=2024-03-07"),
    (5, "/api/core/audit/?limit=20"),
]


def _database(work: Path) -> tuple[str, str, str | None]:
    """A fresh database URL, what it is, and the PostgreSQL name to drop afterwards (if any)."""
    base = os.environ.get("COMITY_BENCH_DATABASE_URL", "")
    if base.startswith("postgres"):
        name = f"comity_load_{os.getpid()}"
        return new_database(base, name), "PostgreSQL", name
    return f"sqlite:///{work / 'load.sqlite3'}", "SQLite (set COMITY_BENCH_DATABASE_URL for PostgreSQL)", None


@contextmanager
def serving(env: dict[str, str], workers: int, wsgi: str | None = None) -> Iterator[Server]:
    """``comity serve --workers N`` (or gunicorn on another WSGI module), stopped at the end."""
    server = Server(env=env, workers=workers, port=free_port(), wsgi=wsgi)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def sign_in(port: int, username: str) -> str:
    """A session cookie for ``username``, through the real sign-in form."""
    headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/accounts/login/", headers=headers)
    page = conn.getresponse()
    body = page.read().decode()
    csrf = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie") or "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if not csrf or not token:
        raise SystemExit("no sign-in form")
    form = urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)})
    conn.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            **headers,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf.group(1)}",
            "Referer": "https://127.0.0.1/accounts/login/",
        },
    )
    answer = conn.getresponse()
    answer.read()
    session = re.search(r"sessionid=([^;]+)", answer.getheader("Set-Cookie") or "")
    if answer.status != 302 or not session:
        raise SystemExit(f"sign-in failed ({answer.status})")
    return f"sessionid={session.group(1)}; csrftoken={csrf.group(1)}"


@dataclass
class Result:
    rate: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    server_errors: int = 0
    sent: int = 0
    by_path: dict[str, list[float]] = field(default_factory=dict)

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def line(self, name: str = "") -> str:
        title = name or f"{self.rate:>6.0f} req/s"
        return (
            f"{title}: p50 {self.percentile(0.5):7.1f} ms  p99 {self.percentile(0.99):7.1f} ms"
            f"  p99.9 {self.percentile(0.999):7.1f} ms  errors {self.errors}/{self.sent} (5xx {self.server_errors})"
        )


def open_loop(port: int, cookie: str, rate: float, seconds: float) -> Result:
    """Send ``rate`` requests a second for ``seconds``, each at its scheduled moment."""
    paths = [path for weight, path in MIX for _ in range(weight)]
    random.Random(0).shuffle(paths)  # interleaved, so a short phase is the mix too, not its first path
    result = Result(rate)
    lock, local = threading.Lock(), threading.local()
    headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1", "Cookie": cookie}

    def one(index: int, due: float) -> None:
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        ok, server_error, path = False, False, paths[index % len(paths)]
        try:
            conn = getattr(local, "conn", None) or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            local.conn = conn
            conn.request("GET", path, headers=headers)
            answer = conn.getresponse()
            answer.read()
            ok, server_error = answer.status < 400, answer.status >= 500
        except (OSError, http.client.HTTPException):
            local.conn = None
        elapsed = time.perf_counter() - due
        with lock:
            result.sent += 1
            result.latencies.append(elapsed)
            result.by_path.setdefault(path, []).append(elapsed)
            result.errors += not ok
            result.server_errors += server_error

    count = int(rate * seconds)
    start = time.perf_counter() + 0.2
    with ThreadPoolExecutor(max_workers=min(256, max(8, int(rate)))) as pool:
        for index in range(count):
            pool.submit(one, index, start + index / rate)
    return result


def kill_workers(server: Server, every: float, seconds: float, workers: int) -> list[float]:
    """SIGKILL one worker every ``every`` seconds; the times until the pool was whole again."""
    recoveries: list[float] = []
    end = time.monotonic() + seconds
    while time.monotonic() + every <= end:
        time.sleep(every)
        victims = server.worker_pids()
        if not victims:
            continue
        os.kill(victims[0], signal.SIGKILL)
        killed = time.monotonic()
        while (
            len(server.worker_pids()) < workers or victims[0] in server.worker_pids()
        ) and time.monotonic() - killed < 30:
            time.sleep(0.05)
        recoveries.append(time.monotonic() - killed)
    return recoveries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short phases at low rates (seconds)")
    parser.add_argument("--rates", default="", help="comma-separated requests per second")
    parser.add_argument("--seconds", type=float, default=0, help="length of each rate's phase")
    parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) * 2 + 1))
    parser.add_argument("--kill-every", type=float, default=0, help="seconds between worker kills")
    args = parser.parse_args()
    rates = [float(r) for r in (args.rates or ("5,10,20" if args.quick else "25,50,100,200")).split(",")]
    seconds = args.seconds or (4 if args.quick else 30)
    kill_every = args.kill_every or (4 if args.quick else 60)
    kill_seconds = kill_every * (2 if args.quick else 3) + 1

    work = Path(tempfile.mkdtemp(prefix="comity-load-"))
    url, database, pg_name = _database(work)
    env = production_env(work, url)
    try:
        prepare(env, demo=True)
        print(f"load on loopback: {args.workers} gunicorn workers, {database}, {seconds:.0f} s per rate")
        results = []
        with serving(env, args.workers) as server:
            cookie = sign_in(server.port, "analyst.nld")
            open_loop(server.port, cookie, rates[0], 2)  # warm the workers
            for rate in rates:
                results.append(open_loop(server.port, cookie, rate, seconds))
                print(results[-1].line())
            slowest = sorted(results[0].by_path.items(), key=lambda item: -sorted(item[1])[len(item[1]) // 2])
            print(
                "slowest paths at the lowest rate (p50): "
                + ", ".join(f"{path} {sorted(times)[len(times) // 2] * 1000:.0f} ms" for path, times in slowest[:4])
            )
            good = [r for r in results if r.percentile(0.99) < 500 and r.server_errors == 0]
            best = max((r.rate for r in good), default=0.0)
            print(f"highest rate with p99 < 500 ms and no 5xx: {best:.0f} req/s")
            steady = (best or rates[0]) * 0.8
            recoveries: list[float] = []
            killer = threading.Thread(
                target=lambda: recoveries.extend(kill_workers(server, kill_every, kill_seconds, args.workers))
            )
            killer.start()
            under_kills = open_loop(server.port, cookie, steady, kill_seconds)
            killer.join()
            print(under_kills.line(f"{steady:>6.0f} req/s, a worker killed every {kill_every:.0f} s"))
            times = ", ".join(f"{r:.2f}" for r in recoveries)
            print(f"workers killed: {len(recoveries)}; pool whole again after {times} s")
            labelled = open_loop(server.port, cookie, steady, seconds)
        with serving(env, args.workers, wsgi="bench.nolabel_wsgi:application") as bare:
            bare_cookie = sign_in(bare.port, "analyst.nld")
            open_loop(bare.port, bare_cookie, rates[0], 2)  # warm its workers as the first server's were
            unlabelled = open_loop(bare.port, bare_cookie, steady, seconds)
        print(labelled.line(f"{steady:>6.0f} req/s with label filtering   "))
        print(unlabelled.line(f"{steady:>6.0f} req/s without label filtering"))
        ratio = labelled.percentile(0.99) / max(unlabelled.percentile(0.99), 1e-9)
        print(f"label filtering p99 cost: x{ratio:.2f}")
        print(
            json.dumps(
                {
                    "rates": {
                        f"{r.rate:.0f}": [r.percentile(0.5), r.percentile(0.99), r.percentile(0.999), r.errors]
                        for r in results
                    },
                    "best_rate": best,
                    "kill_errors": under_kills.errors,
                    "recoveries_s": recoveries,
                    "label_p99_ratio": ratio,
                }
            )
        )
    finally:
        if pg_name is not None:
            drop_database(os.environ["COMITY_BENCH_DATABASE_URL"], pg_name)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
