"""Each reader maps its real sample onto the one event schema."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from comity.events.readers import READ_SCHEMA, read_chunks
from comity.events.tests.conftest import DATA


def read_all(name: str, fmt: str, block_bytes: int = 1 << 20) -> tuple[pa.Table, list[tuple[int, str]], int]:
    chunks = list(read_chunks(fmt, DATA / name, block_bytes))
    table = pa.concat_tables([c.events for c in chunks])
    return table, [r for c in chunks for r in c.rejects], sum(c.read for c in chunks)


def test_gdelt2_row_is_normalised() -> None:
    table, rejects, read = read_all("gdelt2_export_20191024143000_first400.tsv", "gdelt2")
    assert (read, table.num_rows, rejects) == (400, 400, [])
    assert table.schema == READ_SCHEMA
    second = table.slice(1, 1).to_pylist()[0]
    # 881990833: THE EU consults (040) in Minsk; EUR is a CAMEO region code kept as-is.
    assert second | {"avg_tone": round(second["avg_tone"], 6)} == {
        "event_id": "881990833",
        "date": date(2018, 10, 24),
        "source_actor": None,
        "target_actor": "IGOEUREEC",
        "source_country": None,
        "target_country": "EUR",
        "cameo_code": "040",
        "cameo_root": "04",
        "plover_type": "CONSULT",
        "quad_class": 1,
        "goldstein": 1.0,
        "num_mentions": 10,
        "num_sources": 1,
        "num_articles": 10,
        "avg_tone": 0.634921,
        "is_root": False,
        "action_country": "BLR",
        "action_lat": 53.9,
        "action_lon": 27.5667,
        "origin_format": "gdelt2",
    }


def test_gdelt1_reads_both_the_57_and_58_column_layouts() -> None:
    table, rejects, read = read_all("gdelt1_daily_export_sample_reed9999.tsv", "gdelt1", block_bytes=4096)
    assert (read, table.num_rows, rejects) == (710, 710, [])
    assert table.column("event_id").to_pylist()[0] == "564111644"


def test_block_size_does_not_change_the_result() -> None:
    small, _, _ = read_all("gdelt1_daily_export_sample_reed9999.tsv", "gdelt1", block_bytes=1000)
    large, _, _ = read_all("gdelt1_daily_export_sample_reed9999.tsv", "gdelt1")
    assert small.equals(large)


def test_icews_maps_names_and_uses_the_cameo_goldstein_weight() -> None:
    table, rejects, read = read_all("icews_events_2018_sample_first600.tab", "icews")
    assert (read, table.num_rows, rejects) == (600, 600, [])
    first = table.slice(0, 1).to_pylist()[0]
    assert first["source_country"] == "BGD"
    assert first["target_country"] == "VNM"
    assert first["action_country"] == "VNM"
    assert (first["cameo_code"], first["quad_class"], first["goldstein"]) == ("040", 1, 1.0)
    assert set(table.column("is_root").to_pylist()) == {None}


def test_plover_records_keep_compound_actors_and_reject_the_document_header() -> None:
    table, rejects, read = read_all("PLOVER_GSR_CAMEO.json", "plover")
    assert read == 323
    assert rejects == [(1, "documentation record, not an event")]
    first = table.slice(0, 1).to_pylist()[0]
    assert first["event_id"] == "PLOVER-GSR01-AGREE-0001"
    assert (first["source_actor"], first["source_country"], first["target_actor"]) == ("HUN;ROU", "HUN", None)
    assert (first["plover_type"], first["quad_class"], first["cameo_code"]) == ("AGREE", 1, None)


def test_a_blank_line_alone_is_one_reject(tmp_path: Path) -> None:
    lines = (DATA / "gdelt2_export_20191024143000_first400.tsv").read_text(encoding="utf-8").splitlines()[:3]
    path = tmp_path / "blank.tsv"
    path.write_text("\r\n".join([lines[0], "", lines[1], lines[2]]) + "\r\n", encoding="utf-8")
    chunks = list(read_chunks("gdelt2", path, 1 << 20))
    assert [c.rejects for c in chunks] == [[(2, "wrong column count 1")]]
    assert chunks[0].lines.to_pylist() == [1, 3, 4]
    assert chunks[0].events.column("event_id").to_pylist() == [line.split("\t")[0] for line in lines]


def test_nan_is_not_a_number_here(tmp_path: Path) -> None:
    lines = (DATA / "gdelt2_export_20191024143000_first400.tsv").read_text(encoding="utf-8").splitlines()[:2]
    fields = lines[1].split("\t")
    fields[34] = "nan"  # AvgTone: the float cast would take it, the check does not
    path = tmp_path / "nan.tsv"
    path.write_text(lines[0] + "\n" + "\t".join(fields) + "\n", encoding="utf-8")
    chunks = list(read_chunks("gdelt2", path, 1 << 20))
    assert chunks[0].rejects == [(2, "bad number in AvgTone 'nan'")]
    assert chunks[0].events.num_rows == 1


def test_a_carriage_return_inside_a_line_rejects_that_line_only(tmp_path: Path) -> None:
    lines = (DATA / "gdelt2_export_20191024143000_first400.tsv").read_text(encoding="utf-8").splitlines()[:3]
    path = tmp_path / "cr.tsv"
    path.write_text("\n".join([lines[0], lines[1].replace("\t", "\t\r", 1), lines[2]]) + "\n", encoding="utf-8")
    chunks = list(read_chunks("gdelt2", path, 1 << 20))
    assert chunks[0].rejects == [(2, "carriage return inside the line")]
    assert chunks[0].lines.to_pylist() == [1, 3]


@pytest.mark.parametrize("lines", [True, False])
def test_plover_deep_nesting_and_lone_surrogates_reject_their_record_only(tmp_path: Path, lines: bool) -> None:
    good = {"id": "good", "event": "AGREE", "date": "2020-01-01"}
    texts = [
        '{"id": "deep", "event": "AGREE", "date": "2020-01-01", "source": ' + "[" * 50_000 + "]" * 50_000 + "}",
        json.dumps({"id": "bad\ud800", "event": "AGREE", "date": "2020-01-01"}),
        json.dumps(good),
    ]
    path = tmp_path / "plover.json"
    path.write_text("\n".join(texts) if lines else "[" + ",\n".join(texts) + "]", encoding="utf-8")
    (chunk,) = read_chunks("plover", path, 1 << 20)
    assert chunk.events.column("event_id").to_pylist() == ["good"]
    assert [number for number, _ in chunk.rejects] == [1, 2]
    assert "surrogate" in chunk.rejects[1][1]


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        (31, "1" * 30, "bad number in NumMentions"),  # overflowed the int64 cast and crashed the block
        (33, "9" * 19, "bad number in NumArticles"),
        (30, "1e400", "bad number in GoldsteinScale"),  # inf slipped past the check
        (30, "11", "number out of range in GoldsteinScale"),
        (34, "-100.5", "number out of range in AvgTone"),
        (56, "91", "number out of range in ActionGeo_Lat"),
        (57, "-180.01", "number out of range in ActionGeo_Long"),
    ],
)
def test_numbers_no_column_holds_reject_their_row(tmp_path: Path, column: int, value: str, reason: str) -> None:
    lines = (DATA / "gdelt2_export_20191024143000_first400.tsv").read_text(encoding="utf-8").splitlines()[:2]
    fields = lines[1].split("\t")
    fields[column] = value
    path = tmp_path / "numbers.tsv"
    path.write_text(lines[0] + "\n" + "\t".join(fields) + "\n", encoding="utf-8")
    (chunk,) = read_chunks("gdelt2", path, 1 << 20)
    assert chunk.rejects == [(2, f"{reason} {value!r}")]
    assert chunk.events.num_rows == 1
