"""Compiled statements with bound values: reused per shape, and the same rows as a fresh compile."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import ibis
import pyarrow as pa
import pytest

from comity.events import analytics, engines, statements, store
from comity.events.tests.conftest import PUBLIC

#: Dyads of the Georgia sample (2012 H1) and of the 2018-2019 samples: nations and groups, with
#: and without date ranges, at several frequencies. Consecutive cases share a shape.
CASES = [
    ("NATO", "RUS", "month", None, None),
    ("NATO", "GEO", "month", None, None),
    ("USA", "RUS", "week", date(2012, 2, 1), date(2012, 4, 30)),
    ("RUS", "GEO", "week", date(2012, 1, 1), date(2012, 3, 31)),
    ("RUS", "NATO", "quarter", date(2012, 1, 1), None),
    ("GEO", "NATO", "quarter", date(2012, 4, 1), None),
    ("USA", "CHN", "day", None, date(2019, 12, 31)),
]


def _series(con: object, root: Path, membership: object, case: tuple) -> list[dict]:
    source, target, freq, start, end = case
    return analytics.dyad_series(
        store.events_table(con, root),  # type: ignore[arg-type]
        membership,  # type: ignore[arg-type]
        source=source,
        target=target,
        freq=freq,
        visible_label_ids=[PUBLIC],
        start=start,
        end=end,
    ).to_pylist()


def test_bound_calls_agree_with_fresh_compiles(store_root: Path, membership_rows: pa.Table) -> None:
    shared, membership = ibis.duckdb.connect(), ibis.memtable(membership_rows)
    for case in CASES:
        fresh = _series(ibis.duckdb.connect(), store_root, ibis.memtable(membership_rows), case)
        assert _series(shared, store_root, membership, case) == fresh, case
        assert _series(shared, store_root, membership, case) == fresh, case
    assert all(_series(shared, store_root, membership, case) for case in CASES[:4])
    # Seven cases of four shapes: one statement per shape, reused by every later call.
    assert len(statements._STATEMENTS[id(shared)]) == 4


def test_parameters_become_placeholders() -> None:
    table = ibis.memtable(
        pa.table({"code": ["FIN", "SWE", "FIN"], "day": [date(2022, 5, 1), date(2023, 4, 4)] * 1 + [date(2024, 3, 7)]})
    )
    code, since = ibis.param("string"), ibis.param("date")
    expr = table.filter(table.code == code, table.day >= since).order_by("day")
    sql = statements._with_placeholders(expr)
    assert f"${statements.placeholder(code.op().counter)}" in sql
    assert f"${statements.placeholder(since.op().counter)}" in sql
    assert "comity-param" not in sql
    first = statements.to_pyarrow(expr, {code: "FIN", since: date(2023, 1, 1)})
    again = statements.to_pyarrow(expr, {code: "SWE", since: date(2020, 1, 1)})
    assert first.to_pylist() == [{"code": "FIN", "day": date(2024, 3, 7)}]
    assert again.to_pylist() == [{"code": "SWE", "day": date(2023, 4, 4)}]
    assert again.schema == expr.schema().to_pyarrow()


def test_each_thread_keeps_its_own_duckdb_connection() -> None:
    mine = engines.connect("duckdb")
    assert engines.connect("duckdb") is mine
    theirs: list[object] = []
    thread = threading.Thread(target=lambda: theirs.append(engines.connect("duckdb")))
    thread.start()
    thread.join()
    assert theirs[0] is not mine


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown engine"):
        engines.connect("sqlite")
