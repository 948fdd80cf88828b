"""The analytics behind the API: period labels back to days, the events behind a point of a
series, tension per country (checked against plain Python over the stored rows), on both engines."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from ibis.backends import BaseBackend

from comity.events import analytics, store
from comity.events.tests.conftest import PUBLIC, SECRET

MARCH = (date(2012, 3, 1), date(2012, 3, 31))


@pytest.mark.parametrize(
    ("label", "freq", "first", "last"),
    [
        ("2012-01-03", "day", date(2012, 1, 3), date(2012, 1, 3)),
        ("2012-W01", "week", date(2012, 1, 2), date(2012, 1, 8)),
        ("2020-W53", "week", date(2020, 12, 28), date(2021, 1, 3)),
        ("2012-02", "month", date(2012, 2, 1), date(2012, 2, 29)),
        ("2012-Q4", "quarter", date(2012, 10, 1), date(2012, 12, 31)),
        ("2012", "year", date(2012, 1, 1), date(2012, 12, 31)),
    ],
)
def test_period_bounds_invert_format_period(label: str, freq: str, first: date, last: date) -> None:
    assert analytics.period_bounds(label) == (freq, first, last)
    assert analytics.format_period(first, freq) == analytics.format_period(last, freq) == label


@pytest.mark.parametrize("bad", ["2012-13", "2012-W54", "2019-W53", "2012-Q5", "12-01", "2012-02-30", "March"])
def test_period_bounds_rejects_what_is_not_a_period(bad: str) -> None:
    with pytest.raises(ValueError, match=r"period|valid"):
        analytics.period_bounds(bad)


def test_the_events_behind_the_points_add_up_to_them(con: BaseBackend, membership: object, store_root: Path) -> None:
    events = store.events_table(con, store_root)
    dyad = {"source": "NATO", "target": "RUS", "visible_label_ids": [PUBLIC], "start": date(2012, 1, 1)}
    series = analytics.dyad_series(events, membership, freq="month", end=date(2012, 6, 30), **dyad)
    listed = analytics.dyad_event_rows(events, membership, end=date(2012, 6, 30), **dyad).to_pyarrow()
    assert listed.column_names == list(analytics.LISTED_COLUMNS)
    assert listed["date"].to_pylist() == sorted(listed["date"].to_pylist())
    per_month = Counter(analytics.format_period(day, "month") for day in listed["date"].to_pylist())
    assert per_month == {row["period"]: row["events"] for row in series.to_pylist()}
    assert len(per_month) == 6


def test_country_tension_matches_plain_python(con: BaseBackend, store_root: Path) -> None:
    rows = pq.read_table(sorted(store.store_dir(store_root).glob("year=*/month=*/*.parquet"))).to_pylist()
    in_march = [r for r in rows if r["label_id"] == PUBLIC and MARCH[0] <= r["date"] <= MARCH[1]]
    expected_events, expected_conflict = Counter(), Counter()
    for row in in_march:
        for country in {row["source_country"], row["target_country"]} - {None}:
            expected_events[country] += 1
            expected_conflict[country] += row["quad_class"] in (3, 4)
    result = analytics.country_tension(
        store.events_table(con, store_root), visible_label_ids=[PUBLIC], start=MARCH[0], end=MARCH[1]
    ).to_pylist()
    assert {r["country"]: r["events"] for r in result} == dict(expected_events)
    assert {r["country"]: r["conflict"] for r in result} == {
        k: v for k, v in expected_conflict.items() if k in expected_events
    }
    assert [r["conflict"] for r in result] == sorted((r["conflict"] for r in result), reverse=True)
    located = analytics.country_tension(
        store.events_table(con, store_root), visible_label_ids=[PUBLIC], start=MARCH[0], end=MARCH[1], by="location"
    ).to_pylist()
    assert sum(r["events"] for r in located) == sum(1 for r in in_march if r["action_country"])
    hidden = analytics.country_tension(
        store.events_table(con, store_root), visible_label_ids=[PUBLIC], start=date(2018, 6, 1), end=date(2018, 6, 1)
    )
    seen = analytics.country_tension(
        store.events_table(con, store_root),
        visible_label_ids=[PUBLIC, SECRET],
        start=date(2018, 6, 1),
        end=date(2018, 6, 1),
    )
    assert hidden.num_rows == 0 < seen.num_rows
