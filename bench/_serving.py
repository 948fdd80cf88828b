"""What the serving benchmarks share: a fresh database, the production set-up steps, and
``comity serve`` (or gunicorn on a bench-only WSGI module) as a process that can be killed.

Loopback only. A fresh database is one of: SQLite in a temporary folder; a new database on a
PostgreSQL server that lets the given role create databases; or a private PostgreSQL 15 cluster
in a temporary folder, which the crash benchmark may SIGKILL without touching anyone else's
server (it needs root, to run the cluster as the ``postgres`` user, and Debian's PostgreSQL 15).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def production_env(work: Path, url: str) -> dict[str, str]:
    """The environment of ``comity`` under ``comity.settings.production`` on ``url``."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "comity.settings.production",
        "COMITY_SECRET_KEY": "serving-bench-" + "x" * 50,
        "COMITY_ALLOWED_HOSTS": "127.0.0.1",
        "COMITY_DATA_DIR": str(work),
        "COMITY_DATABASE_URL": url,
        "COMITY_LOG_LEVEL": "ERROR",
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
    }


def comity(args: list[str], env: dict[str, str], timeout: float = 600) -> str:
    """Run one ``comity`` command; its standard output, or exit with its error."""
    command = [sys.executable, "-m", "comity.cli", *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode:
        raise SystemExit(f"comity {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def prepare(env: dict[str, str], *, demo: bool) -> None:
    """``migrate``, ``setup`` (and ``demo``), ``collectstatic``, in one process to save start-ups."""
    steps = [["migrate", "--noinput"], ["setup"], *([["demo"]] if demo else []), ["collectstatic", "--noinput"]]
    script = (
        "import sys, django; django.setup()\n"
        "from django.core.management import call_command\n"
        f"for step in {steps!r}:\n"
        "    call_command(*step, stdout=open('/dev/null', 'w'))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"set-up failed:\n{done.stderr[-2000:]}")


@dataclass
class Server:
    """``comity serve --workers N`` (or gunicorn on ``wsgi``) on a fixed port, restartable."""

    env: dict[str, str]
    workers: int
    port: int
    wsgi: str | None = None
    process: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        if self.wsgi is None:
            return [
                sys.executable,
                "-m",
                "comity.cli",
                "serve",
                "--workers",
                str(self.workers),
                "--port",
                str(self.port),
            ]
        return [
            sys.executable,
            "-m",
            "gunicorn",
            self.wsgi,
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            *(["--no-control-socket"] if _gunicorn_has_control_socket() else []),
        ]

    def _spawn(self) -> subprocess.Popen[bytes]:
        log = Path(self.env["COMITY_DATA_DIR"]) / "server.log"
        with log.open("ab") as out:
            return subprocess.Popen(self.command(), env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=out)

    def start(self, timeout: float = 60) -> None:
        self.process = self._spawn()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:  # e.g. the port still held by a dying worker
                time.sleep(0.5)
                self.process = self._spawn()
                continue
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            log = Path(self.env["COMITY_DATA_DIR"]) / "server.log"
            raise SystemExit(f"the server did not start:\n{log.read_text()[-2000:]}")
        while len(self.worker_pids()) < self.workers and time.monotonic() < deadline:
            time.sleep(0.1)

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the children of the arbiter."""
        return children(self.process.pid) if self.process else []

    def kill(self) -> int:
        """SIGKILL the arbiter and every worker at once, as a power cut would; how many died."""
        assert self.process is not None
        victims = [self.process.pid, *self.worker_pids()]
        for pid in victims:
            _kill(pid)
        self.process.wait()
        _wait_gone(victims)
        return len(victims)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()


def children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(child) for child in (task / "children").read_text().split()]
    except OSError:
        pass
    return found


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _wait_gone(pids: list[int], timeout: float = 30) -> None:
    """Until every pid has exited and been reaped (by us, as their subreaper, or by their parent).

    A zombie postmaster still counts as running for the next ``pg_ctl start`` (its lock file names
    a live pid), so orphans are reaped here rather than left to the container's init.
    """
    deadline = time.monotonic() + timeout
    for pid in pids:
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            time.sleep(0.02)


def become_subreaper() -> None:
    """Adopt our descendants' orphans (Linux ``PR_SET_CHILD_SUBREAPER``), so that we can reap them."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)


def _gunicorn_has_control_socket() -> bool:
    import gunicorn

    return tuple(int(p) for p in gunicorn.__version__.split(".")[:2]) >= (25, 1)


def new_database(base: str, name: str) -> str:
    """A fresh database ``name`` on the PostgreSQL server of ``base`` (a role that may create them)."""
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return base.rsplit("/", 1)[0] + f"/{name}"


def drop_database(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


class PrivateCluster:
    """A PostgreSQL 15 cluster of our own in ``folder``, on a free loopback port.

    Killing it disturbs nobody: the machine's shared cluster (where other test suites run) is never
    touched. Runs as the ``postgres`` user, so the benchmark must run as root.
    """

    def __init__(self, folder: Path) -> None:
        if os.geteuid() != 0 or not (PG_BIN / "initdb").exists():
            raise SystemExit("a private PostgreSQL cluster needs root and Debian's postgresql-15")
        become_subreaper()
        self.folder, self.port = folder, free_port()
        self.data = folder / "data"
        self.password = secrets.token_hex(12)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "pw").write_text(self.password)
        shutil.chown(folder, "postgres", "postgres")
        shutil.chown(folder / "pw", "postgres", "postgres")
        self._as_postgres(
            [str(PG_BIN / "initdb"), "-D", "data", "-U", "comity", "-A", "scram-sha-256", "--pwfile", "pw"],
            cwd=folder,
        )
        self.start()

    @property
    def url(self) -> str:
        return f"postgres://comity:{self.password}@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, command: list[str], cwd: Path) -> None:
        done = subprocess.run(
            ["runuser", "-u", "postgres", "--", *command], cwd=cwd, capture_output=True, text=True, check=False
        )
        if done.returncode:
            log = (cwd / "log").read_text()[-1500:] if (cwd / "log").exists() else ""
            raise SystemExit(f"{command[0]} failed:\n{done.stdout[-1000:]}{done.stderr[-1000:]}\n{log}")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=100"
        self._as_postgres(
            [str(PG_BIN / "pg_ctl"), "-D", "data", "-l", "log", "-w", "-t", "120", "-o", options, "start"],
            cwd=self.folder,
        )

    def kill(self) -> int:
        """SIGKILL the postmaster and every backend at once; how many processes died."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        victims = [postmaster, *children(postmaster)]
        for pid in victims:  # the postmaster first: it forks no backend after that
            _kill(pid)
        _wait_gone(victims)
        return len(victims)

    def stop(self) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"],
            capture_output=True,
            check=False,
        )
