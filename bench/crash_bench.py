"""Nothing acknowledged is lost: API writes under SIGKILL of the application server and of the
database, with a negative control that acknowledges before it commits.

What it does, on loopback only, bounded in time, stopping by itself:

1. A fresh database: by default a private PostgreSQL 15 cluster in a temporary folder (it is
   killed below, so it must be our own; this needs root, which the development machine has, and
   Debian's ``postgresql-15``); ``--database sqlite`` or ``--database postgres://...`` (a new
   database on that server) allow only application-server kills. Then ``migrate``, ``setup``,
   ``collectstatic``, and one editor of NLD (``crash.writer``) with an API token from
   ``comity user token``.
2. ``comity serve --workers N`` under ``comity.settings.production``. ``--writers`` threads create
   ``--writes`` exercises through ``POST /api/engagements/exercises/`` with the token and an
   ``Idempotency-Key``, retrying a connection error, a 5xx or a 409 with the same key and body.
3. A killer, ``--rounds`` times at a random moment (a random point of each round's share of the
   writes): it SIGKILLs the gunicorn arbiter and all its workers at once and restarts ``comity
   serve``, or (alternate rounds, private cluster only) SIGKILLs the postmaster and every backend
   and starts the cluster again (crash recovery replays the WAL).
4. The check, straight from the database: every key answered 2xx has exactly one record (none
   lost, none twice) and every record its ``create`` entry in ``core_auditentry``.
5. The same against ``bench/ack_before_commit_wsgi.py`` (answers 201 at once and writes
   afterwards): the control, which must show losses, or the check could not see any.

Figures side by side (normal, control) and one JSON line. Exit status 1 when the normal run loses,
duplicates or orphans anything, or the control loses nothing. ``--quick`` is seconds-long (the
test suite runs it); the figures of ``docs/security.md`` say which run they come from.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _serving import (  # the bench folder is not a package
    PG_BIN,
    PrivateCluster,
    Server,
    comity,
    drop_database,
    free_port,
    new_database,
    prepare,
    production_env,
)

URL = "/api/engagements/exercises/"
WRITER = "crash.writer"


@dataclass
class Tally:
    """What the writers were told."""

    acked: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (record sent, record answered)
    replayed: int = 0
    retries: int = 0
    refused: Counter[int] = field(default_factory=Counter)
    unfinished: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Figures:
    acknowledged: int
    lost: int
    duplicates: int
    orphans: int
    wrong_answers: int
    replayed: int
    retries: int
    refused: int
    unfinished: int
    kills: dict[str, int]
    seconds: float


def _post(conn: http.client.HTTPConnection, token: str, key: str, body: bytes) -> tuple[int, bytes, bool]:
    headers = {
        "Authorization": f"Token {token}",
        "Content-Type": "application/json",
        "Idempotency-Key": f'"{key}"',
        "X-Forwarded-Proto": "https",
        "Host": "127.0.0.1",
    }
    conn.request("POST", URL, body=body, headers=headers)
    answer = conn.getresponse()
    return answer.status, answer.read(), answer.getheader("Idempotent-Replayed") == "true"


def writer(
    port: int,
    token: str,
    prefix: str,
    indices: itertools.count[int],
    total: int,
    tally: Tally,
    end: float,
    abort: threading.Event,
) -> None:
    """Write until the shared counter passes ``total``; each write is retried with its own key."""
    conn: http.client.HTTPConnection | None = None
    while (index := next(indices)) < total:
        key, record = f"{prefix}-k{index:06d}", f"{prefix}-{index:06d}"
        body = json.dumps(
            {
                "key": record,
                "title": f"Crash {record}",
                "label": "PUBLIC",
                "start_date": "2099-01-01",
                "end_date": "2099-01-02",
            }
        ).encode()
        pause, tries = 0.05, 0
        while True:
            if time.monotonic() > end or abort.is_set():
                with tally.lock:
                    tally.unfinished += 1
                break
            tries += 1
            try:
                conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status, answer, replayed = _post(conn, token, key, body)
            except (OSError, http.client.HTTPException):
                conn, status = None, 0
            if 200 <= status < 300:
                with tally.lock:
                    tally.acked[key] = (record, json.loads(answer).get("key", record) if answer else record)
                    tally.replayed += replayed
                    tally.retries += tries - 1
                break
            if 400 <= status < 500 and status != 409:
                with tally.lock:
                    tally.refused[status] += 1
                break
            time.sleep(pause)
            pause = min(pause * 2, 0.5)


def killer(
    server: Server,
    cluster: PrivateCluster | None,
    kinds: list[str],
    rounds: int,
    quota: float,
    tally: Tally,
    done: threading.Event,
) -> Counter[str]:
    """``rounds`` kills, each at a random point of its round's share of the writes."""
    kills: Counter[str] = Counter()
    for number in range(rounds):
        goal = (number + random.uniform(0.1, 0.9)) * quota
        while len(tally.acked) < goal and not done.is_set():
            time.sleep(0.01)
        if done.is_set():
            break
        kind = kinds[number % len(kinds)]
        if kind == "db" and cluster is not None:
            cluster.kill()
            time.sleep(random.uniform(0, 0.5))
            cluster.start()
        else:
            server.kill()
            server.start()
        kills[kind] += 1
    return kills


def _rows(url: str, prefix: str) -> tuple[list[tuple[int, str]], set[str]]:
    """(id, key) of the run's records, and the ids that have a create entry in the change log."""
    records_sql = "SELECT id, key FROM engagements_engagement WHERE key LIKE %s"
    entries_sql = (
        "SELECT a.object_id FROM core_auditentry a JOIN django_content_type c ON c.id = a.content_type_id "
        "WHERE c.app_label = 'engagements' AND c.model = 'exercise' AND a.action = 'create'"
    )
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            records = conn.execute(records_sql.replace("%s", "?"), [f"{prefix}-%"]).fetchall()
            entries = {row[0] for row in conn.execute(entries_sql)}
        return records, entries
    import psycopg

    with psycopg.connect(url) as conn:
        records = conn.execute(records_sql, [f"{prefix}-%"]).fetchall()
        entries = {row[0] for row in conn.execute(entries_sql)}
    return records, entries


def _settled(url: str, prefix: str, quiet: float = 2.0, limit: float = 60.0) -> None:
    """Wait until the run's record count stops growing (the control writes after answering)."""
    last, since, end = -1, time.monotonic(), time.monotonic() + limit
    while time.monotonic() < end:
        count = len(_rows(url, prefix)[0])
        if count != last:
            last, since = count, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.25)


def check(url: str, prefix: str, tally: Tally) -> tuple[int, int, int, int]:
    """(lost, duplicates, orphans, wrong answers) of one run."""
    records, entries = _rows(url, prefix)
    by_key = Counter(key for _, key in records)
    lost = sum(1 for record, _ in tally.acked.values() if by_key[record] == 0)
    duplicates = sum(count - 1 for count in by_key.values() if count > 1)
    orphans = sum(1 for record_id, _ in records if str(record_id) not in entries)
    wrong = sum(1 for record, answered in tally.acked.values() if answered != record)
    return lost, duplicates, orphans, wrong


def run(
    server: Server, cluster: PrivateCluster | None, url: str, token: str, prefix: str, args: argparse.Namespace
) -> Figures:
    """One run: writers and killer together, then the check."""
    tally, done, abort, started = Tally(), threading.Event(), threading.Event(), time.monotonic()
    end = started + args.deadline
    server.start()
    indices = itertools.count()
    threads = [
        threading.Thread(target=writer, args=(server.port, token, prefix, indices, args.writes, tally, end, abort))
        for _ in range(args.writers)
    ]
    kills: Counter[str] = Counter()
    failures: list[BaseException] = []

    def kill_rounds() -> None:
        try:
            kills.update(killer(server, cluster, args.kinds, args.rounds, args.writes / (args.rounds + 1), tally, done))
        except BaseException as exc:  # a restart that failed: stop the writers, report it
            failures.append(exc)
            abort.set()

    kill_thread = threading.Thread(target=kill_rounds)
    for thread in [*threads, kill_thread]:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    kill_thread.join()
    if failures:
        raise failures[0]
    _settled(url, prefix)
    server.stop()
    lost, duplicates, orphans, wrong = check(url, prefix, tally)
    return Figures(
        acknowledged=len(tally.acked),
        lost=lost,
        duplicates=duplicates,
        orphans=orphans,
        wrong_answers=wrong,
        replayed=tally.replayed,
        retries=tally.retries,
        refused=sum(tally.refused.values()),
        unfinished=tally.unfinished,
        kills=dict(kills),
        seconds=round(time.monotonic() - started, 1),
    )


def table(results: dict[str, Figures]) -> str:
    rows = [
        ("writes acknowledged (2xx)", "acknowledged"),
        ("acknowledged but lost", "lost"),
        ("duplicates per idempotency key", "duplicates"),
        ("records without change-log entry", "orphans"),
        ("answers naming another record", "wrong_answers"),
        ("answered by replay of a committed write", "replayed"),
        ("retries (connection error, 5xx, 409)", "retries"),
        ("refused (4xx)", "refused"),
        ("not finished by the deadline", "unfinished"),
        ("kills (app / database)", "kills"),
        ("seconds", "seconds"),
    ]
    names = list(results)
    lines = [f"{'':42}" + "".join(f"{name:>20}" for name in names)]
    for title, attr in rows:
        cells = []
        for name in names:
            value = getattr(results[name], attr)
            cells.append(f"{value.get('app', 0)} / {value.get('db', 0)}" if attr == "kills" else str(value))
        lines.append(f"{title:42}" + "".join(f"{cell:>20}" for cell in cells))
    return "\n".join(lines)


def _database(choice: str, work: Path) -> tuple[str, PrivateCluster | None, str, object]:
    """(URL, private cluster or None, description, clean-up) for ``--database``."""
    if choice == "private":
        cluster = PrivateCluster(work / "pg")
        url = new_database(cluster.url, "comity_crash")
        return url, cluster, f"private PostgreSQL 15 cluster on port {cluster.port}", cluster.stop
    if choice.startswith("postgres"):
        name = f"comity_crash_{os.getpid()}"
        url = new_database(choice, name)
        return url, None, "PostgreSQL (shared server: no database kills)", lambda: drop_database(choice, name)
    return f"sqlite:///{work / 'crash.sqlite3'}", None, "SQLite (no database kills)", lambda: None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a seconds-long run with small numbers")
    parser.add_argument("--rounds", type=int, help="kills per run (default 20; quick 2)")
    parser.add_argument("--writers", type=int, help="writer threads (default 32; quick 8)")
    parser.add_argument("--writes", type=int, help="writes per run (default 10000; quick 100)")
    parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) * 2 + 1))
    can_own = os.geteuid() == 0 and (PG_BIN / "initdb").exists()
    parser.add_argument(
        "--database",
        default="private" if can_own else "sqlite",
        help="private (a PostgreSQL 15 cluster of its own, needs root), sqlite, or a postgres:// URL",
    )
    parser.add_argument("--kill", choices=["app", "db", "both"], help="what to kill (default both where allowed)")
    parser.add_argument("--ack-before-commit", action="store_true", help="run only the negative control")
    parser.add_argument("--deadline", type=float, help="seconds a run may take (default 3600; quick 60)")
    args = parser.parse_args()
    args.rounds = args.rounds or (2 if args.quick else 20)
    args.writers = args.writers or (8 if args.quick else 32)
    args.writes = args.writes or (100 if args.quick else 10000)
    args.deadline = args.deadline or (60 if args.quick else 3600)
    kill = args.kill or ("both" if args.database == "private" else "app")
    if kill != "app" and args.database != "private":
        parser.error("database kills need --database private (the shared server is never killed)")
    args.kinds = {"app": ["app"], "db": ["db"], "both": ["app", "db"]}[kill]

    work = Path(tempfile.mkdtemp(prefix="comity-crash-"))
    work.chmod(0o755)  # the private cluster's folder inside is the postgres user's
    url, cluster, database, clean = _database(args.database, work)
    env = production_env(work, url)
    try:
        prepare(env, demo=False)
        comity(["user", "add", WRITER, "--nation", "NLD", "--clearance", "SECRET"], env)
        comity(["user", "grant", WRITER, "--role", "editor", "--scope", "NLD"], env)
        token = comity(["user", "token", WRITER], env).strip()
        print(
            f"crash: {args.writes} writes by {args.writers} writers, {args.rounds} kills ({kill}) per run, "
            f"{args.workers} gunicorn workers, {database}",
            flush=True,
        )
        results: dict[str, Figures] = {}
        modes = {"normal": None, "ack-before-commit": "bench.ack_before_commit_wsgi:application"}
        for name, wsgi in modes.items():
            if args.ack_before_commit and wsgi is None:
                continue
            server = Server(env, args.workers, free_port(), wsgi=wsgi)
            try:
                results[name] = run(server, cluster, url, token, f"c{name[0]}{os.getpid()}", args)
            finally:
                server.stop()
        print(table(results))
        print(json.dumps({name: figures.__dict__ for name, figures in results.items()}))
    finally:
        if cluster is not None:
            cluster.stop()
        else:
            clean()  # type: ignore[operator]
        shutil.rmtree(work, ignore_errors=True)
    normal, control = results.get("normal"), results.get("ack-before-commit")
    failed = normal is not None and (normal.lost or normal.duplicates or normal.orphans or normal.wrong_answers)
    blind = control is not None and control.lost == 0
    if blind:
        print("the control lost nothing: the check cannot be shown to see losses", file=sys.stderr)
    return 1 if failed or blind else 0


if __name__ == "__main__":
    sys.exit(main())
