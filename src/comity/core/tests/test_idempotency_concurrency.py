"""Idempotency-Key under concurrency: a second request with the key of one still running is 409.

A file of its own because the test is transactional: pytest-django runs transactional tests after
the others, and with ``--dist loadfile`` a file is one unit, so a transactional test beside
ordinary ones would empty the database under the files that follow it on the same worker.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from rest_framework.authtoken.models import Token

from comity.core.testing.factories import make_user
from comity.core.tests.test_idempotency import _body, _counts, _post
from comity.engagements.models import Exercise


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="in-flight 409 needs PostgreSQL's row locks (SQLite serialises writers)"
)
def test_a_concurrent_duplicate_gets_409_while_the_first_runs(transactional_db: None) -> None:
    """The first request is held inside its write (a rival transaction locks the table);
    a second request with the same Idempotency-Key meanwhile answers 409 at once, and after the
    first completes the repeat is a replay: one record, one change-log entry."""
    editor = make_user("NLD", "SECRET", username="idem-race", roles=("editor",))
    token = Token.objects.create(user=editor)
    body = _body("idem-race")
    blocker = connections.create_connection("default")
    blocker.set_autocommit(False)
    with blocker.cursor() as cursor:  # the first request's insert waits until this transaction ends
        cursor.execute(f"LOCK TABLE {Exercise._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
    results: dict[str, Any] = {}

    def first() -> None:
        client = Client(headers={"Authorization": f"Token {token.key}"})
        results["first"] = _post(client, body, "race-key")
        connections.close_all()

    thread = threading.Thread(target=first)
    thread.start()
    client = Client(headers={"Authorization": f"Token {token.key}"})
    try:
        _wait_for_a_lock_wait(blocker)
        second = _post(client, body, "race-key")
        assert second.status_code == 409 and "in progress" in second.json()["detail"]
    finally:
        blocker.rollback()
        blocker.close()
        thread.join(30)
    assert results["first"].status_code == 201
    repeat = _post(client, body, "race-key")
    assert repeat.status_code == 201 and repeat["Idempotent-Replayed"] == "true"
    assert _counts("idem-race") == (1, 1)


def _wait_for_a_lock_wait(observer: Any) -> None:
    """Until some other session of the test database waits on a lock (the first request's insert)."""
    with observer.cursor() as cursor:
        for _ in range(200):
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # activity is read once per transaction otherwise
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            threading.Event().wait(0.05)
    raise AssertionError("the first request never reached its write")
