"""Ingest: idempotent, quarantines bad rows with reasons, all-or-nothing on unreadable files."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from comity.events.readers import UnreadableFileError
from comity.events.services import ingest_file
from comity.events.tests.conftest import DATA, GEORGIA, PUBLIC


def store_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "store").rglob("*.parquet"))}


def stored(root: Path, query: str) -> list[tuple]:
    with duckdb.connect() as con:
        con.execute(f"CREATE VIEW events AS SELECT * FROM read_parquet('{root}/store/*/*/*.parquet')")  # noqa: S608
        return con.execute(query).fetchall()


def test_reingesting_a_file_changes_nothing(tmp_path: Path) -> None:
    first = ingest_file(GEORGIA, "gdelt1", label_id=PUBLIC, root=tmp_path)
    before = store_files(tmp_path)
    again = ingest_file(GEORGIA, "gdelt1", label_id=PUBLIC, root=tmp_path, block_bytes=50_000)
    assert first.counts() == {"read": 2836, "accepted": 2836, "rejected": 0, "duplicates": 0}
    assert again.counts() == {"read": 2836, "accepted": 0, "rejected": 0, "duplicates": 2836}
    assert store_files(tmp_path) == before


def test_store_is_partitioned_by_year_and_month(tmp_path: Path) -> None:
    ingest_file(GEORGIA, "gdelt1", label_id=PUBLIC, root=tmp_path)
    partitions = {p.parent.relative_to(tmp_path / "store").as_posix() for p in (tmp_path / "store").rglob("*.parquet")}
    assert {f"year=2012/month={m}" for m in range(1, 7)} <= partitions
    months = stored(tmp_path, "SELECT DISTINCT year(date) * 100 + month(date) FROM events")
    assert len(months) == len(partitions)


def test_duplicate_ids_within_a_file_keep_the_first(tmp_path: Path) -> None:
    report = ingest_file(DATA / "PLOVER_GSR_CAMEO.json", "plover", label_id=PUBLIC, root=tmp_path)
    # The gold-standard file holds PLOVER-GSR01-COERCE-0004 twice, and one DOCUMENT header.
    assert report.counts() == {"read": 323, "accepted": 321, "rejected": 1, "duplicates": 1}
    assert stored(tmp_path, "SELECT count(*) FROM events WHERE event_id = 'PLOVER-GSR01-COERCE-0004'") == [(1,)]


def test_the_same_id_in_two_formats_is_two_events(tmp_path: Path) -> None:
    line = GEORGIA.read_text(encoding="utf-8").splitlines()[0]
    gdelt1 = tmp_path / "one.tsv"
    gdelt1.write_text(line + "\n", encoding="utf-8")
    gdelt2 = tmp_path / "two.tsv"
    fields = line.split("\t")
    # GDELT 2.0 adds an ADM2 code after each ADM1 code (0-based positions 39, 47, 55 once inserted).
    for position in (39, 47, 55):
        fields.insert(position, "")
    gdelt2.write_text("\t".join(fields) + "\n", encoding="utf-8")
    root = tmp_path / "events"
    assert ingest_file(gdelt1, "gdelt1", label_id=PUBLIC, root=root).accepted == 1
    assert ingest_file(gdelt2, "gdelt2", label_id=PUBLIC, root=root).accepted == 1


def test_damaged_file_keeps_good_rows_and_explains_every_dropped_one(tmp_path: Path) -> None:
    lines = (DATA / "gdelt2_export_20191024143000_first400.tsv").read_text(encoding="utf-8").splitlines()
    damaged = list(lines[:20])
    damaged[2] = "\t".join(damaged[2].split("\t")[:-1])  # a field short
    fields = damaged[5].split("\t")
    fields[1] = "20181332"  # no 32nd of a 13th month
    damaged[5] = "\t".join(fields)
    fields = damaged[8].split("\t")
    fields[26] = "999"  # not a CAMEO code
    damaged[8] = "\t".join(fields)
    damaged[11] = damaged[11] + "\textra"  # a field too many
    damaged[14] = ""  # a blank line
    fields = damaged[17].split("\t")
    fields[34] = "n/a"  # AvgTone not a number
    damaged[17] = "\t".join(fields)
    path = tmp_path / "damaged.tsv"
    path.write_text("\n".join(damaged) + "\n", encoding="utf-8")

    report = ingest_file(path, "gdelt2", label_id=PUBLIC, root=tmp_path / "events")

    assert report.counts() == {"read": 20, "accepted": 14, "rejected": 6, "duplicates": 0}
    with report.rejects_file.open(encoding="utf-8", newline="") as handle:
        rejects = list(csv.DictReader(handle))
    assert [(r["file"], r["line"], r["reason"]) for r in rejects] == [
        (str(path), "3", "wrong column count 60"),
        (str(path), "6", "bad date '20181332'"),
        (str(path), "9", "unknown CAMEO code '999'"),
        (str(path), "12", "wrong column count 62"),
        (str(path), "15", "wrong column count 1"),
        (str(path), "18", "bad number in AvgTone 'n/a'"),
    ]
    kept = {r[0] for r in stored(tmp_path / "events", "SELECT event_id FROM events")}
    dropped = {lines[i].split("\t")[0] for i in (2, 5, 8, 11, 14, 17)}
    assert kept == {line.split("\t")[0] for line in lines[:20]} - dropped


@pytest.mark.parametrize(
    ("content", "fmt", "message"),
    [
        (b"not\ta\tgdelt\tfile\n", "gdelt2", "no line is a gdelt2 record"),
        (b"\x1f\x8b\x08\x00\xff\xfe\n\x00", "gdelt1", "no line is a gdelt1 record"),
        (b"Event ID\tDate\n1\t2018-06-01\n", "icews", "header line is not the expected one"),
        (b'[{"id": "x", ', "plover", "not a JSON array"),
    ],
)
def test_unreadable_file_fails_clearly_and_leaves_the_store(
    tmp_path: Path, content: bytes, fmt: str, message: str
) -> None:
    root = tmp_path / "events"
    ingest_file(GEORGIA, "gdelt1", label_id=PUBLIC, root=root)
    before = store_files(root)
    path = tmp_path / "bad.dat"
    path.write_bytes(content)
    with pytest.raises(UnreadableFileError, match=message):
        ingest_file(path, fmt, label_id=PUBLIC, root=root)
    assert store_files(root) == before
    assert not list(root.glob(".staging-*"))


def test_missing_file_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match="no such file"):
        ingest_file(tmp_path / "absent.tsv", "gdelt2", label_id=PUBLIC, root=tmp_path)


def test_progress_reports_bytes_up_to_the_file_size(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    ingest_file(
        GEORGIA, "gdelt1", label_id=PUBLIC, root=tmp_path, block_bytes=100_000, progress=lambda *a: calls.append(a)
    )
    size = GEORGIA.stat().st_size
    assert len(calls) == 9
    assert calls[-1] == (size, size)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_a_line_that_is_not_utf8_is_quarantined_alone(tmp_path: Path) -> None:
    lines = (DATA / "gdelt2_export_20191024143000_first400.tsv").read_bytes().splitlines(keepends=True)[:3]
    lines[1] = lines[1].replace(b"\t", b"\t\xff", 1)  # a byte that never starts a UTF-8 sequence
    path = tmp_path / "latin.tsv"
    path.write_bytes(b"".join(lines))
    report = ingest_file(path, "gdelt2", label_id=PUBLIC, root=tmp_path / "events")
    assert report.counts() == {"read": 3, "accepted": 2, "rejected": 1, "duplicates": 0}
    assert report.rejects_file.read_text(encoding="utf-8").splitlines()[1:] == [f"{path},2,not UTF-8 text"]
