"""Suite-wide pytest set-up: reference data in every test database, and the URL coverage check."""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from comity.core.testing import database_passes, reference_data, url_coverage

HITS_DIR_KEY = "comity_url_hits_dir"
_HITS_DIR = pytest.StashKey[str]()


def _hits_dir(config: pytest.Config) -> Path:
    worker_input = getattr(config, "workerinput", None)
    if worker_input is not None:
        return Path(worker_input[HITS_DIR_KEY])
    return Path(config.stash.setdefault(_HITS_DIR, tempfile.mkdtemp(prefix="comity-url-hits-")))


def pytest_configure_node(node: Any) -> None:
    """xdist: every worker records into the controller's folder."""
    node.workerinput[HITS_DIR_KEY] = str(_hits_dir(node.config))


def pytest_configure(config: pytest.Config) -> None:
    from django.core.handlers.base import BaseHandler

    hits_file = _hits_dir(config) / f"hits-{os.getpid()}.txt"
    original = BaseHandler.resolve_request

    def recording_resolve(self: BaseHandler, request: Any) -> Any:
        match = original(self, request)
        url_coverage.record(hits_file, match.route)
        return match

    BaseHandler.resolve_request = recording_resolve  # type: ignore[method-assign]


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadfile``, with the long per-user checks spread (``core.testing.scheduling``)."""
    if config.getvalue("dist") != "loadfile":
        return None
    from comity.core.testing.scheduling import SpreadLongItemsScheduling

    return SpreadLongItemsScheduling(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In the PostgreSQL pass of ``make test``, leave out the tests that cannot reach its database
    (``core.testing.database_passes``): the SQLite pass has run them, with the same answer."""
    if os.environ.get(database_passes.ONLY_DATABASE_TESTS) != "1":
        return
    kept, left_out = [], []
    for item in items:
        markers = {marker.name for marker in item.iter_markers()}
        fixtures = getattr(item, "fixturenames", ())
        (kept if database_passes.reaches_database(markers, fixtures) else left_out).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"{len(left_out)} tests that cannot reach the database ran in the SQLite pass only")


def pytest_collection_finish(session: pytest.Session) -> None:
    """Refuse a collection in which two tests share a node id: xdist schedules by id, so all but
    one of them would silently not run (schemathesis' per-operation items did, under pytest 9.2)."""
    counts = Counter(item.nodeid for item in session.items)
    shared = sorted(nodeid for nodeid, count in counts.items() if count > 1)
    if shared:
        raise pytest.UsageError("tests sharing a node id (all but one would not run): " + ", ".join(shared))


def _full_run(session: pytest.Session) -> bool:
    options = session.config.option
    selected = bool(options.keyword or options.markexpr or getattr(options, "lf", False) or options.deselect)
    return not selected and session.config.args_source != pytest.Config.ArgsSource.ARGS


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if getattr(session.config, "workerinput", None) is not None or exitstatus != 0 or not _full_run(session):
        return
    hit: set[str] = set()
    for path in _hits_dir(session.config).glob("hits-*.txt"):
        hit.update(path.read_text(encoding="utf-8").splitlines())
    missing = url_coverage.missing_routes(hit)
    if missing:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("URL patterns that no test requested: " + ", ".join(missing), red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Load the security policies, the real registry and the shipped engagements once per test database."""
    global _reference  # the rows a transactional test's flush takes away, kept for this worker
    with django_db_blocker.unblock():
        _load_reference_data()
        _reference = reference_data.snapshot()
    yield
    with django_db_blocker.unblock():
        _end_stray_postgres_sessions()


_reference: reference_data.Snapshot | None = None


def _load_reference_data() -> None:
    """What ``comity setup`` loads: every app's shipped data (policies, registry, engagements)."""
    from comity.core.steps import shipped_data_load

    shipped_data_load()


def _end_stray_postgres_sessions() -> None:
    """End connections that request threads of the live server left open on the test database.

    PostgreSQL refuses to drop a database with open sessions; SQLite needs nothing.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )


def _is_transactional(item: pytest.Item) -> bool:
    """pytest-django's own test of a transactional test (the one its reordering uses)."""
    from pytest_django.plugin import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transactional, reset_sequences, *_ = validate_django_db(marker)
        if transactional or reset_sequences:
            return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """Put the reference data back (``core.testing.reference_data``) after a transactional test has emptied every table.

    pytest-django runs transactional tests last, but with xdist's ``--dist loadfile`` a worker
    takes a browser file and then ordinary files, which would find no policies or registry.
    """
    yield
    if not _is_transactional(item):
        return
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        if _reference is None:
            _load_reference_data()
        else:
            reference_data.restore(_reference)


@pytest.fixture
def chromium(live_server: Any) -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, for browser tests against the live server."""
    from playwright.sync_api import sync_playwright

    from comity.core.testing.browser import CHROMIUM, CHROMIUM_ARGS, allow_sync_playwright

    with allow_sync_playwright(), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
