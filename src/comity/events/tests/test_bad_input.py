"""Bad parameters to the event API are a 400 naming the field, and concurrent requests each get
an answer (DuckDB connections are not shared between threads)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.test import Client

from comity.core.models import ConfidentialityLabel
from comity.core.testing.factories import make_user
from comity.events import selectors

pytestmark = pytest.mark.django_db

HUGE = "9" * 25
EVENTS = {"source": "PRK", "target": "USA", "period": "2018-06"}


@pytest.fixture
def analyst(web_store: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(make_user("NLD", "SECRET", username="bad-input-analyst"))
    return client


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/events/events/", {**EVENTS, "limit": HUGE}, "limit"),
        ("/api/events/events/", {**EVENTS, "offset": HUGE}, "offset"),
        ("/api/events/events/", {**EVENTS, "limit": "0"}, "limit"),
        ("/api/events/alerts/", {"limit": HUGE}, "limit"),
        ("/api/events/alerts/", {"min_conflict": HUGE}, "min_conflict"),
        ("/api/events/alerts/", {"min_conflict": str(2**63)}, "min_conflict"),
        ("/api/events/alerts/", {"window": HUGE}, "window"),
        ("/api/events/alerts/", {"z": "1e400"}, "z"),
        ("/api/events/alerts/", {"min_std": "nan"}, "min_std"),
        ("/api/events/series/", {"source": "NATO", "target": "RUS", "freq": "month", "from": "99999-01-01"}, "from"),
    ],
)
def test_huge_numbers_are_refused(analyst: Client, path: str, params: dict[str, str], field: str) -> None:
    response = analyst.get(path, params)
    assert response.status_code == 400, (response.status_code, response.content[:300])
    assert field in response.json()


def test_the_largest_accepted_values_are_served(analyst: Client) -> None:
    from comity.events.forms import MAX_MIN_CONFLICT

    response = analyst.get("/api/events/alerts/", {"min_conflict": str(MAX_MIN_CONFLICT), "limit": "500"})
    assert response.status_code == 200, response.content
    assert response.json()["alerts"] == []


@pytest.mark.parametrize("stored", [True, False], ids=["store", "empty-store"])
def test_concurrent_series_and_alerts_all_answer(
    labelled_stores: Callable[[int, int], Path], tmp_path: Path, stored: bool
) -> None:
    """Sixteen threads ask for series and alerts at once, as a threaded server's requests do; each
    answers. An empty store once ran every thread on ibis's one default DuckDB connection, which
    refuses a second caller ("connection is busy"). The threads read only the reference data
    (this test writes nothing, so SQLite's shared cache has no table locked)."""
    public = ConfidentialityLabel.objects.get(marking="PUBLIC").pk
    root = labelled_stores(public, public) if stored else tmp_path / "empty"

    def ask(n: int) -> int:
        try:
            if n % 2:
                return selectors.tension_alerts(None, "month", [("NATO", "RUS")], root=root).num_rows
            return selectors.dyad_series(None, "NATO", "RUS", ["month", "year"][n % 4 // 2], root=root).num_rows
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(ask, range(64)))
    assert len(answers) == 64
    assert (min(answers[::2]) > 0) is stored
