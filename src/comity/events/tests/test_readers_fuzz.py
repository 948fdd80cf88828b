"""Fuzzing every event reader from real sample rows: rows or ``UnreadableFileError``, nothing else.

Each example is a file of a good row, a damaged copy of another real row, and a third good row.
The reader must keep both good rows and account for every line (accepted + rejected == read),
whatever the damage, or refuse the whole file with its documented error.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comity.core.testing.mutations import DEEP, cell_values, encoded, json_text, json_values, mutated_line
from comity.core.testing.scale import scaled
from comity.events.readers import ICEWS_HEADER, UnreadableFileError, read_chunks
from comity.events.services import ingest_file
from comity.events.tests.conftest import DATA

TSV_SAMPLES = {
    "gdelt1": DATA / "gdelt1_daily_export_sample_reed9999.tsv",
    "gdelt2": DATA / "gdelt2_export_20191024143000_first400.tsv",
    "icews": DATA / "icews_events_2018_sample_first600.tab",
}
FUZZ = settings(max_examples=scaled(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _rows(fmt: str) -> list[str]:
    lines = TSV_SAMPLES[fmt].read_text(encoding="utf-8").splitlines()
    return lines[1:4] if fmt == "icews" else lines[:3]


def _read(fmt: str, data: bytes, block_bytes: int) -> tuple[list[str], int, int]:
    """(event ids, rejected, read) of ``data`` read as ``fmt``."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input"
        path.write_bytes(data)
        chunks = list(read_chunks(fmt, path, block_bytes))
    ids = [i for c in chunks for i in c.events.column("event_id").to_pylist()]
    return ids, sum(len(c.rejects) for c in chunks), sum(c.read for c in chunks)


@pytest.mark.parametrize("fmt", list(TSV_SAMPLES))
@FUZZ
@given(data=st.data(), block_bytes=st.sampled_from([256, 1 << 20]))
def test_tab_separated_readers_keep_good_rows_around_damage(fmt: str, data: st.DataObject, block_bytes: int) -> None:
    first, damaged, last = _rows(fmt)
    line = data.draw(mutated_line(damaged.split("\t"), "\t"))
    head = ICEWS_HEADER + "\n" if fmt == "icews" else ""
    text = encoded(head + "\n".join([first, line, last]) + "\n")
    ids, rejected, read = _read(fmt, text, block_bytes)
    good = [first.split("\t")[0], last.split("\t")[0]]
    assert ids[0] == good[0] and ids[-1] == good[1]
    assert len(ids) + rejected == read


@pytest.mark.parametrize("fmt", list(TSV_SAMPLES))
@FUZZ
@given(raw=st.binary(max_size=300))
def test_tab_separated_readers_on_arbitrary_bytes(fmt: str, raw: bytes) -> None:
    try:
        ids, rejected, read = _read(fmt, (ICEWS_HEADER + "\n").encode() + raw if fmt == "icews" else raw, 128)
    except UnreadableFileError:
        return
    assert len(ids) + rejected == read


def _plover_records() -> list[dict[str, Any]]:
    records = json.loads((DATA / "PLOVER_GSR_CAMEO.json").read_text(encoding="utf-8"))
    return [r for r in records if r.get("event") != "DOCUMENT"][:3]


@FUZZ
@given(data=st.data(), lines=st.booleans())
def test_plover_keeps_good_records_around_a_damaged_one(data: st.DataObject, lines: bool) -> None:
    first, damaged, last = _plover_records()
    damaged = dict(damaged)
    key = data.draw(st.sampled_from(sorted(damaged)))
    damaged[key] = data.draw(json_values())
    if lines:
        text = "\n".join(json_text(r) for r in (first, damaged, last)) + "\n"
    else:
        text = json_text([first, damaged, last])
    ids, rejected, read = _read("plover", encoded(text), 1 << 20)
    assert ids[0] == first["id"] and ids[-1] == last["id"]
    assert len(ids) + rejected == read
    if damaged[key] is DEEP:
        assert len(ids) == 2


@FUZZ
@given(data=st.data())
def test_plover_json_lines_with_a_damaged_line(data: st.DataObject) -> None:
    first, damaged, last = (json.dumps(r) for r in _plover_records())
    line = data.draw(mutated_line(damaged.split(","), ","))
    text = "\n".join([first, line, last]) + "\n"
    ids, rejected, read = _read("plover", encoded(text), 1 << 20)
    assert ids[0] == json.loads(first)["id"] and ids[-1] == json.loads(last)["id"]
    assert len(ids) + rejected == read


@FUZZ
@given(raw=st.binary(max_size=300))
def test_plover_on_arbitrary_bytes(raw: bytes) -> None:
    try:
        ids, rejected, read = _read("plover", raw, 1 << 20)
    except UnreadableFileError:
        return
    assert len(ids) + rejected == read


@settings(max_examples=scaled(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), fmt=st.sampled_from(["gdelt2", "icews", "plover"]))
def test_ingest_stores_the_good_rows_and_accounts_for_every_line(data: st.DataObject, fmt: str) -> None:
    """The whole ingest (parse, stage, commit, rejects file) on damaged input, not just the readers."""
    if fmt == "plover":
        records = [json.dumps(r) for r in _plover_records()]
        text = "\n".join([records[0], data.draw(mutated_line(records[1].split(","), ",")), records[2]]) + "\n"
    else:
        first, damaged, last = _rows(fmt)
        head = ICEWS_HEADER + "\n" if fmt == "icews" else ""
        text = head + "\n".join([first, data.draw(mutated_line(damaged.split("\t"), "\t")), last]) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input"
        path.write_bytes(encoded(text))
        report = ingest_file(path, fmt, label_id=1, root=Path(folder) / "events")
    assert report.read == report.accepted + report.rejected + report.duplicates
    assert report.accepted >= 2


#: The columns each tab-separated reader parses as numbers or dates (zero-based).
PARSED_COLUMNS = {
    "gdelt1": (0, 1, 25, 26, 29, 30, 31, 32, 33, 34, 53, 54),
    "gdelt2": (0, 1, 25, 26, 29, 30, 31, 32, 33, 34, 56, 57),
    "icews": (0, 1, 6, 18, 19),
}


@pytest.mark.parametrize("fmt", list(TSV_SAMPLES))
@FUZZ
@given(data=st.data())
def test_parsed_columns_take_any_text(fmt: str, data: st.DataObject) -> None:
    """The numeric, date and code columns, damaged on purpose (a random cell rarely hits them)."""
    first, damaged, last = _rows(fmt)
    cells = damaged.split("\t")
    cells[data.draw(st.sampled_from(PARSED_COLUMNS[fmt]))] = data.draw(cell_values()).replace("\t", " ")
    head = ICEWS_HEADER + "\n" if fmt == "icews" else ""
    ids, rejected, read = _read(fmt, encoded(head + "\n".join([first, "\t".join(cells), last]) + "\n"), 1 << 20)
    assert ids[0] == first.split("\t")[0] and ids[-1] == last.split("\t")[0]
    assert len(ids) + rejected == read
