"""Analytics on both engines: the same cases, the same answers, checked against plain Python."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import ibis
import pyarrow as pa
import pytest
from ibis.backends import BaseBackend

from comity.events import analytics, store
from comity.events.analytics import MEMBERSHIP_SCHEMA, AlertRule, format_period
from comity.events.tests.conftest import GEORGIA, PUBLIC, SECRET


def georgia_oracle(source: set[str] | None, target: str, members: pa.Table) -> dict[str, list[float]]:
    """NATO-or-nation -> target monthly counts straight from the sample file, in plain Python."""
    spells = [r for r in members.to_pylist() if r["group"] == "NATO"]

    def in_nato(iso3: str, day: date) -> bool:
        return any(s["iso3"] == iso3 and s["start"] <= day and (s["end"] is None or day < s["end"]) for s in spells)

    result: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0, 0, 0, 0])
    for line in GEORGIA.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        day = date(int(fields[1][:4]), int(fields[1][4:6]), int(fields[1][6:]))
        ok_source = in_nato(fields[7], day) if source is None else fields[7] in source
        if ok_source and fields[17] == target:
            row = result[f"{day.year}-{day.month:02d}"]
            row[0] += 1
            row[1] += float(fields[30])
            row[1 + int(fields[29])] += 1
    return dict(result)


def as_rows(table: pa.Table) -> dict[str, list[float]]:
    return {
        r["period"]: [
            r["events"],
            round(r["goldstein_sum"], 6),
            r["verbal_coop"],
            r["material_coop"],
            r["verbal_conflict"],
            r["material_conflict"],
        ]
        for r in table.to_pylist()
    }


def series(con: BaseBackend, root: Path, membership: object, **kwargs: object) -> pa.Table:
    kwargs.setdefault("visible_label_ids", [PUBLIC])
    kwargs.setdefault("start", date(2012, 1, 1))
    kwargs.setdefault("end", date(2012, 6, 30))
    return analytics.dyad_series(store.events_table(con, root), membership, **kwargs)


def test_nation_series_matches_plain_python(con: BaseBackend, store_root: Path, membership: object) -> None:
    result = series(con, store_root, membership, source="USA", target="RUS", freq="month")
    assert result.column_names == list(analytics.SERIES_COLUMNS)
    expected = {k: [v[0], round(v[1], 6), *v[2:]] for k, v in georgia_oracle({"USA"}, "RUS", pa.table({})).items()}
    assert as_rows(result) == expected
    assert sum(expected[k][0] for k in expected) == 133


def test_group_series_uses_membership_on_each_event_date(
    con: BaseBackend, store_root: Path, membership: object, membership_rows: pa.Table
) -> None:
    result = series(con, store_root, membership, source="NATO", target="RUS", freq="month")
    expected = {k: [v[0], round(v[1], 6), *v[2:]] for k, v in georgia_oracle(None, "RUS", membership_rows).items()}
    assert as_rows(result) == expected
    assert set(result.column("source").to_pylist()) == {"NATO"}


def test_membership_is_taken_as_of_the_event_date(con: BaseBackend, store_root: Path) -> None:
    # An injected table: the USA "joins" group X on 2012-03-01 and "leaves" on 2012-05-01.
    spells = ibis.memtable(
        pa.Table.from_pylist(
            [{"group": "X", "iso3": "USA", "start": date(2012, 3, 1), "end": date(2012, 5, 1)}],
            schema=MEMBERSHIP_SCHEMA,
        )
    )
    grouped = as_rows(series(con, store_root, spells, source="X", target="RUS", freq="month"))
    direct = as_rows(series(con, store_root, spells, source="USA", target="RUS", freq="month"))
    assert grouped == {k: v for k, v in direct.items() if k in ("2012-03", "2012-04")}


def test_labels_the_caller_cannot_see_stay_in_the_engine(
    con: BaseBackend, store_root: Path, membership: object
) -> None:
    # ICEWS went in under SECRET: the BGD -> VNM consultations of 1 June 2018 are ICEWS rows.
    window = {"start": date(2018, 6, 1), "end": date(2018, 6, 2)}
    hidden = series(con, store_root, membership, source="BGD", target="VNM", freq="day", **window)
    shown = series(
        con,
        store_root,
        membership,
        source="BGD",
        target="VNM",
        freq="day",
        visible_label_ids=[PUBLIC, SECRET],
        **window,
    )
    assert hidden.num_rows == 0
    assert shown.column("period").to_pylist() == ["2018-06-01"]
    assert shown.column("events").to_pylist()[0] >= 1
    nothing = series(con, store_root, membership, source="USA", target="RUS", freq="month", visible_label_ids=[])
    assert nothing.num_rows == 0


@pytest.mark.parametrize(
    ("freq", "periods"),
    [
        ("week", ["2012-W01", "2012-W02"]),
        ("quarter", ["2012-Q1"]),
        ("year", ["2012"]),
        ("day", ["2012-01-03", "2012-01-04"]),
    ],
)
def test_period_labels(con: BaseBackend, store_root: Path, membership: object, freq: str, periods: list[str]) -> None:
    result = series(con, store_root, membership, source="USA", target="RUS", freq=freq, end=date(2012, 1, 10))
    assert result.column("period").to_pylist()[: len(periods)] == periods
    assert sum(result.column("events").to_pylist()) == sum(
        1
        for line in GEORGIA.read_text(encoding="utf-8").splitlines()
        if line.split("\t")[7] == "USA" and line.split("\t")[17] == "RUS" and line.split("\t")[1] <= "20120110"
    )


def test_root_only_drops_gdelt_non_root_events(con: BaseBackend, store_root: Path, membership: object) -> None:
    every = series(con, store_root, membership, source="USA", target="RUS", freq="year")
    roots = series(con, store_root, membership, source="USA", target="RUS", freq="year", root_only=True)
    expected = sum(
        1
        for line in GEORGIA.read_text(encoding="utf-8").splitlines()
        if line.split("\t")[7] == "USA" and line.split("\t")[17] == "RUS" and line.split("\t")[25] == "1"
    )
    assert roots.column("events").to_pylist() == [expected]
    assert every.column("events").to_pylist() == [133]


def test_tension_alerts_count_metric(con: BaseBackend, store_root: Path, membership: object) -> None:
    alerts = analytics.tension_alerts(
        store.events_table(con, store_root),
        membership,
        freq="week",
        visible_label_ids=[PUBLIC],
        dyads=[("NATO", "RUS"), ("RUS", "NATO")],
        rule=AlertRule(window=4),
        start=date(2012, 1, 1),
        end=date(2012, 6, 30),
        limit=5,
    ).to_pylist()
    assert alerts, "the sample has conflict spikes between NATO and Russia"
    assert [a["z"] for a in alerts] == sorted((a["z"] for a in alerts), reverse=True)
    for alert in alerts:
        assert alert["z"] >= 2.0
        assert alert["conflict"] >= 3
        assert alert["value"] == alert["conflict"]


def test_tension_alert_baseline_is_checked_by_hand(con: BaseBackend, tmp_path: Path) -> None:
    # Five quiet months (one conflict event each), then a month of ten: the sixth month is flagged.
    from comity.events.schema import EVENT_SCHEMA

    rows = []
    for month, conflicts in enumerate([1, 1, 1, 1, 1, 10], start=1):
        for n in range(conflicts):
            rows.append(
                {
                    "event_id": f"{month}-{n}",
                    "date": date(2012, month, 1),
                    "source_country": "AAA",
                    "target_country": "BBB",
                    "quad_class": 4,
                    "goldstein": -10.0,
                    "origin_format": "gdelt1",
                    "label_id": PUBLIC,
                }
            )
    events = ibis.memtable(pa.Table.from_pylist(rows, schema=EVENT_SCHEMA))
    empty = ibis.memtable(MEMBERSHIP_SCHEMA.empty_table())
    found = analytics.tension_alerts(
        events, empty, freq="month", visible_label_ids=[PUBLIC], rule=AlertRule(window=5, min_std=1.0)
    ).to_pylist()
    assert found == [
        {
            "period": "2012-06",
            "source": "AAA",
            "target": "BBB",
            "events": 10,
            "conflict": 10,
            "value": 10.0,
            "baseline": 1.0,
            "z": 9.0,
        }
    ]
    share = analytics.tension_alerts(
        events, empty, freq="month", visible_label_ids=[PUBLIC], rule=AlertRule(metric="share", window=5)
    )
    assert share.num_rows == 0  # every month is all conflict: the share does not rise


@pytest.mark.spark
def test_engines_agree_on_alerts_over_all_country_dyads(
    store_root: Path, membership: object, spark_session: object
) -> None:
    def run(con: BaseBackend) -> list[dict]:
        return analytics.tension_alerts(
            store.events_table(con, store_root),
            membership,
            freq="month",
            visible_label_ids=[PUBLIC, SECRET],
            rule=AlertRule(metric="share", window=2, min_std=0.1, min_conflict=2),
            limit=50,
        ).to_pylist()

    duck = run(ibis.duckdb.connect())
    assert duck
    assert run(ibis.pyspark.connect(spark_session)) == duck


def test_format_period() -> None:
    day = date(2019, 12, 30)  # ISO week 1 of 2020
    assert [format_period(day, f) for f in ("day", "week", "month", "quarter", "year")] == [
        "2019-12-30",
        "2020-W01",
        "2019-12",
        "2019-Q4",
        "2019",
    ]


def test_unknown_frequency_is_refused(store_root: Path, membership: object) -> None:
    with pytest.raises(ValueError, match="unknown frequency"):
        series(ibis.duckdb.connect(), store_root, membership, source="USA", target="RUS", freq="fortnight")
