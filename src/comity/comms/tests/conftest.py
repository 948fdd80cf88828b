"""Fixtures for the comms tests."""

from __future__ import annotations

from collections.abc import Iterator
from unittest import mock

import pytest


@pytest.fixture(autouse=True)
def keep_test_connection() -> Iterator[None]:
    """``database_sync_to_async`` closes the thread's database connection after each call; in a
    test that connection holds the test's transaction, and on PostgreSQL closing it ends the
    transaction (SQLite's in-memory test database ignores the close). The scenarios' own calls
    and the consumer's background checks keep it open, as ``comms.testing`` does for frames."""
    with mock.patch("channels.db.close_old_connections", return_value=None):
        yield
