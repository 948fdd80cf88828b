"""Fuzzing engagement imports from the shipped exercises: damaged rows are rejects, never crashes.

Each example is a file of a real row, a damaged copy of another real row, and a third real row;
the two good rows must come through whatever the damage, and every reject must carry a line.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comity.core.testing.mutations import DEEP, json_text, json_values, mutated_line
from comity.core.testing.scale import scaled
from comity.engagements import services
from comity.engagements.importing import ImportFileError, parse_text
from comity.engagements.loading import ENGAGEMENTS_DIR
from comity.engagements.models import Exercise

TODAY = date(2026, 11, 25)
FUZZ = settings(max_examples=scaled(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _sample() -> tuple[list[str], list[list[str]]]:
    with (ENGAGEMENTS_DIR / "exercises.csv").open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows[:3]


def _quoted(cell: str) -> str:
    """A cell as the CSV writer writes it (quoted when it holds a comma, quote or line break)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([cell])
    return out.getvalue()


def _csv_text(draw: Any) -> tuple[str, list[str]]:
    header, (first, damaged, last) = _sample()
    line = draw(mutated_line([_quoted(c) for c in damaged], ",", surrogates=False))
    good = [",".join(_quoted(c) for c in row) for row in (first, last)]
    return ",".join(header) + "\n" + "\n".join([good[0], line, good[1]]) + "\n", [first[0], last[0]]


@FUZZ
@given(data=st.data())
def test_csv_import_keeps_good_rows_around_a_damaged_one(data: st.DataObject) -> None:
    text, good = _csv_text(data.draw)
    parsed = parse_text(text, ".csv", TODAY)
    keys = [row.key for row in parsed.rows]
    assert keys[0] == good[0] and keys[-1] == good[1]
    assert all(reject.line >= 2 and reject.reason for reject in parsed.rejects)


@FUZZ
@given(text=st.text(max_size=200))
def test_csv_import_of_any_text_is_rows_or_a_file_error(text: str) -> None:
    try:
        parse_text("key,title,notes\n" + text, ".csv", TODAY)
    except ImportFileError:
        pytest.fail("a good header must never make the file unreadable")


def _records() -> list[dict[str, Any]]:
    header, rows = _sample()
    return [dict(zip(header, row, strict=True)) for row in rows]


@FUZZ
@given(data=st.data())
def test_json_import_keeps_good_records_around_a_damaged_one(data: st.DataObject) -> None:
    first, damaged, last = _records()
    name = data.draw(st.sampled_from(sorted(damaged)))
    damaged[name] = data.draw(json_values())
    parsed = parse_text(json_text([first, damaged, last]), ".json", TODAY)
    keys = [row.key for row in parsed.rows]
    assert keys[0] == first["key"] and keys[-1] == last["key"]
    if damaged[name] is DEEP:
        assert [r.line for r in parsed.rejects] == [1]


@FUZZ
@given(data=st.data())
def test_json_text_damage_is_rows_or_a_file_error(data: st.DataObject) -> None:
    text = json.dumps(_records(), indent=1)
    at = data.draw(st.integers(0, len(text)))
    text = text[:at] + data.draw(st.sampled_from(["", '"', ",", "[", "]", "{", "\\", "\x00"])) + text[at + 1 :]
    with contextlib.suppress(ImportFileError):
        parse_text(text, ".json", TODAY)


@pytest.mark.django_db
@settings(
    max_examples=scaled(30),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_import_service_stores_good_rows_whatever_the_damaged_one_holds(data: st.DataObject) -> None:
    """Through the database: a damaged row that passes the file checks must not crash the write."""
    text, good = _csv_text(data.draw)
    report = services.engagements_import(acting_user=None, kind="exercise", parsed=parse_text(text, ".csv", TODAY))
    assert set(Exercise.objects.filter(key__in=good).values_list("key", flat=True)) == set(good)
    assert report.imported + report.updated + report.unchanged >= 2
