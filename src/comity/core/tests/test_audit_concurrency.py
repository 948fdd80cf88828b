"""Two writers appending to the change log at once keep one gapless, valid chain.

A file of its own because the test is transactional (threads need committed data and their own
connections), like ``test_idempotency_concurrency.py``. On PostgreSQL the writers queue on the
chain head's row lock (``SELECT ... FOR UPDATE``); on SQLite on the database's single write lock,
which ``core.audit_chain.locked_head`` takes with a write before it reads the head. The test's
SQLite database is in memory with a shared cache, where a writer that finds the lock taken is told
"database table is locked" at once instead of waiting out the busy timeout as it does on the file
database comity runs on; the writers here then try again, which is what that wait does.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connections, transaction

from comity.core.audit import audit_create
from comity.core.audit_verify import verify
from comity.core.models import AuditEntry
from comity.core.testing.factories import make_user

PER_WRITER = 15


def _append_retrying(record: object, actor: object) -> None:
    for _attempt in range(200):
        try:
            with transaction.atomic():
                audit_create(record, acting_user=actor)  # type: ignore[arg-type]
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.005)
        else:
            return
    raise AssertionError("the chain head stayed locked")


@pytest.mark.django_db(transaction=True)
def test_two_threads_appending_keep_the_chain_valid(transactional_db: None) -> None:
    users = [make_user("NLD", username=f"chain-writer-{n}") for n in range(2)]
    start = AuditEntry.objects.count()
    barrier, failures = threading.Barrier(2), []

    def write(user_index: int) -> None:
        try:
            barrier.wait(timeout=10)
            for _ in range(PER_WRITER):
                _append_retrying(users[user_index], users[1 - user_index])
        except Exception as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures
    assert AuditEntry.objects.count() == start + 2 * PER_WRITER
    seqs = sorted(AuditEntry.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert verify()["ok"] is True
