"""The events' desk panel: the latest tension alerts in which a nation the user follows (their own
and those of its groups) is a party, labelled never below the event data they come from."""

from __future__ import annotations

from typing import Any

import pytest

from comity.core.testing.factories import make_user
from comity.events import selectors

pytestmark = pytest.mark.django_db


def test_a_nation_follows_itself_and_the_nations_of_its_groups(web_store: dict[str, Any]) -> None:
    dutch = selectors.followed_nations(make_user("NLD"))
    assert {"NLD", "USA", "DEU", "FIN"} <= dutch and "RUS" not in dutch and "GEO" not in dutch
    georgian = selectors.followed_nations(make_user("GEO"))
    assert {"GEO", "AZE", "ARM"} <= georgian and "USA" not in georgian
    assert selectors.followed_nations(make_user("")) == frozenset()


def test_only_alerts_of_followed_nations_latest_first(web_store: dict[str, Any]) -> None:
    user = make_user("GEO")
    followed = selectors.followed_nations(user)
    every = selectors.tension_alerts(user, selectors.DESK_ALERT_FREQ, limit=selectors.DESK_ALERT_POOL).to_pylist()
    ours = selectors.followed_alerts(user)
    assert ours == sorted(
        [row for row in every if row["source"] in followed or row["target"] in followed],
        key=lambda row: (row["period"], row["z"]),
        reverse=True,
    )
    assert 0 < len(ours) < len(every)
    assert [item.text for item in selectors.desk_alerts(user, None)] == [
        f"{row['period']}: {row['source']} → {row['target']}, {row['conflict']} conflict events (z {row['z']:.1f})"
        for row in ours
    ]
    assert selectors.desk_alerts(make_user(""), None) == []


def test_an_alert_carries_the_labels_of_the_event_data_it_was_computed_from(web_store: dict[str, Any]) -> None:
    cleared = selectors.desk_alerts(make_user("NLD", "SECRET"), 3)
    uncleared = selectors.desk_alerts(make_user("NLD"), 3)
    assert len(cleared) == len(uncleared) == 3
    assert {item.marking for item in cleared} == {"NATO SECRET"}  # the ICEWS sample is filed under it
    assert {item.marking for item in uncleared} == {"PUBLIC"}
    assert cleared[0].url == "/events/?source=AFR&target=USA&freq=week"
