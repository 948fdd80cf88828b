"""Which tests the second database pass of ``make test`` runs.

``make test`` runs the whole suite on SQLite, then again on PostgreSQL, because the product
promises the same behaviour on both. A test that cannot reach the pass's database gives the same
answer in both passes, so running it twice proves nothing and costs minutes (the production-serve
test starts its own SQLite server; the Spark, hypothesis and bench tests touch no database).

pytest-django already knows which tests may reach the database: any other test that tries gets
"Database access not allowed". A test that reaches it another way (a child process that inherits
``COMITY_DATABASE_URL``) says so with ``@pytest.mark.database_url``. The rule is one pure function so
that it is tested on its own and the conftest hook stays a call.
"""

from __future__ import annotations

from collections.abc import Iterable

#: pytest-django's fixtures that open the test database to a test (``django_db_setup`` for the
#: module-scoped worlds of the matrices; not ``django_db_blocker``, which an autouse fixture of
#: pytest-django asks for on every test).
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
        "django_db_setup",
    }
)

#: The markers by which a test says it reaches the database: pytest-django's, and ours for tests
#: whose child processes use the pass's database.
DATABASE_MARKERS = frozenset({"django_db", "database_url"})

#: The environment variable with which ``make test-postgres`` asks for the database tests alone.
ONLY_DATABASE_TESTS = "COMITY_ONLY_DATABASE_TESTS"


def reaches_database(markers: Iterable[str], fixtures: Iterable[str]) -> bool:
    """Whether a test with these marker and fixture names can reach the pass's database."""
    return not DATABASE_MARKERS.isdisjoint(markers) or not DATABASE_FIXTURES.isdisjoint(fixtures)
