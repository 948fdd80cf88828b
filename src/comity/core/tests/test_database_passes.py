"""The rule that decides which tests the PostgreSQL pass of ``make test`` runs."""

from __future__ import annotations

from comity.core.testing.database_passes import reaches_database


def test_a_test_marked_for_the_database_reaches_it() -> None:
    assert reaches_database({"django_db"}, ())
    assert reaches_database({"database_url"}, ())


def test_a_test_asking_for_a_database_fixture_reaches_it() -> None:
    for fixture in ("db", "transactional_db", "live_server", "django_db_setup"):
        assert reaches_database({"parametrize"}, ("tmp_path", fixture))


def test_a_test_with_neither_cannot_reach_it() -> None:
    assert not reaches_database({"spark", "parametrize"}, ("tmp_path", "monkeypatch", "request"))
