"""Bad import input rejects its own row with line, field and reason; the other rows are kept."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from comity.engagements.importing import parse_text
from comity.engagements.models import Exercise
from comity.engagements.tests.test_import_export import HEADER, run_import

TODAY = date(2026, 11, 25)
GOOD_A = "bad-a,Good row A,2018-10-25,2018-11-23,NATO,NOR,USA;DEU,joint,50000,PUBLIC,test input\n"
GOOD_B = "bad-b,Good row B,2019-10-25,2019-11-23,NATO,NOR,,joint,,PUBLIC,test input\n"


def rows_and_rejects(text: str, suffix: str = ".csv") -> tuple[list[str], dict[int, tuple[str, str]]]:
    parsed = parse_text(text, suffix, TODAY)
    return [row.key for row in parsed.rows], {r.line: (r.field, r.reason) for r in parsed.rejects}


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("²", "not a whole number"),  # str.isdigit() says yes, int() says no
        ("\u0663\u0664", "not a whole number"),  # Arabic-Indic digits
        ("1" * 30, "outside 0..2147483647"),
        ("2147483648", "outside 0..2147483647"),
        ("-5", "not a whole number"),
    ],
)
def test_a_bad_number_rejects_its_row_only(cell: str, reason: str) -> None:
    bad = f"bad-n,Bad number,2018-01-01,,NATO,,,joint,{cell},PUBLIC,test input\n"
    keys, rejects = rows_and_rejects(HEADER + GOOD_A + bad + GOOD_B)
    assert keys == ["bad-a", "bad-b"]
    assert rejects[3][0] == "personnel" and reason in rejects[3][1]


def test_bad_coordinates_and_dates_are_rejects() -> None:
    header = "key,title,start_date,latitude\n"
    arabic_date = "\u0662\u0660\u0661\u0668-\u0660\u0661-\u0660\u0661"
    lines = ["c-1,A,2018-01-01,nan\n", "c-2,B,2018-01-01,1_0\n", "c-3,C,20180101,\n", f"c-4,D,{arabic_date},\n"]
    keys, rejects = rows_and_rejects(header + "".join(lines) + "c-5,E,2018-01-01,45.5\n")
    assert keys == ["c-5"]
    assert [rejects[n][0] for n in (2, 3, 4, 5)] == ["latitude", "latitude", "start_date", "start_date"]


def test_a_field_over_the_csv_limit_rejects_its_row_only() -> None:
    huge = "x" * (csv.field_size_limit() + 1)
    keys, rejects = rows_and_rejects(HEADER + GOOD_A + f"bad-h,Huge,2018-01-01,,NATO,,,joint,,PUBLIC,{huge}\n" + GOOD_B)
    assert keys == ["bad-a", "bad-b"]
    assert "longer than 131072 characters" in rejects[3][1]


def test_text_longer_than_its_column_is_a_reject() -> None:
    keys, rejects = rows_and_rejects(HEADER + f"bad-t,{'T' * 201},2018-01-01,,NATO,,,joint,,PUBLIC,x\n" + GOOD_B)
    assert keys == ["bad-b"] and rejects[2] == ("title", "title is 201 characters long, at most 200 allowed")


def test_an_unclosed_quote_is_reported_where_it_opened_and_swallows_nothing() -> None:
    unclosed = 'bad-q,"Unclosed title,2018-01-01,,NATO,,,joint,,PUBLIC,test input\n'
    keys, rejects = rows_and_rejects(HEADER + GOOD_A + unclosed + GOOD_B + GOOD_B.replace("bad-b", "bad-c"))
    assert keys == ["bad-a", "bad-b", "bad-c"]
    assert list(rejects) == [3] and "quote opened on line 3 is not closed" in rejects[3][1]


def test_an_unclosed_quote_in_the_last_row_or_in_free_text() -> None:
    header = "key,title,notes\n"
    keys, rejects = rows_and_rejects(header + 'q-1,A,"open notes\nq-2,B,fine\nq-3,C,fine\n')
    assert keys == ["q-2", "q-3"] and "quote opened on line 2" in rejects[2][1]
    keys, rejects = rows_and_rejects(header + 'q-1,A,fine\nq-2,B,"open at the end\n')
    assert keys == ["q-1"] and "quote opened on line 3 is not closed before the end" in rejects[3][1]


def test_notes_may_span_lines_and_round_trip() -> None:
    keys, rejects = rows_and_rejects('key,title,notes\nm-1,A,"first line\nsecond, with a comma"\nm-2,B,\n')
    assert keys == ["m-1", "m-2"] and not rejects
    assert parse_text('key,title,notes\nm-1,A,"one\ntwo"\n', ".csv", TODAY).rows[0].notes == "one\ntwo"


def test_too_many_fields_nul_and_bom() -> None:
    text = "\ufeff" + HEADER + GOOD_A + GOOD_B.replace("test input", "x,extra") + "bad-z,Z\x00,2018-01-01\n"
    keys, rejects = rows_and_rejects(text)
    assert keys == ["bad-a"]
    assert "12 fields, the header 11" in rejects[3][1] and rejects[4][0] == "title"


def test_json_deeply_nested_element_rejects_only_itself() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    records = ['{"key": "j-a", "title": "A"}', f'{{"key": "j-b", "notes": {deep}}}', '{"key": "j-c", "title": "C"}']
    text = "[" + ",\n ".join(records) + "]"
    keys, rejects = rows_and_rejects(text, ".json")
    assert keys == ["j-a", "j-c"] and "nested too deeply" in rejects[2][1]


def test_json_values_must_be_flat_and_storable() -> None:
    records = [
        {"key": "j-a", "title": "A", "personnel": 10**30},
        {"key": "j-b", "title": {"nested": 1}},
        {"key": "j-c", "title": "\ud800"},
        {"key": "j-d", "title": "D", "participants": ["FIN", "SWE"]},
    ]
    keys, rejects = rows_and_rejects(json.dumps(records, indent=1), ".json")
    assert keys == ["j-d"]
    assert [field for field, _ in rejects.values()] == ["personnel", "title", "title"]
    assert sorted(rejects) == [2, 7, 13]  # the line each object starts on


def test_the_command_keeps_valid_rows_and_exits_2_with_a_summary(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(HEADER + GOOD_A + "bad-n,Bad,2018-01-01,,NATO,,,joint,²,PUBLIC,x\n" + GOOD_B, encoding="utf-8")
    result = run_import(path)  # asserts status 2 and the summary's first line
    assert (result["imported"], result["rejected"]) == (2, 1)
    assert result["rejects"] == [{"line": 3, "reason": "personnel '²' is not a whole number", "field": "personnel"}]
    assert set(Exercise.objects.filter(key__startswith="bad-").values_list("key", flat=True)) == {"bad-a", "bad-b"}


def test_registry_rejects_name_their_column(tmp_path: Path) -> None:
    path = tmp_path / "unknown.csv"
    path.write_text(HEADER + "bad-u,Unknown,2018-01-01,,NATO,XXX,,joint,,PUBLIC,x\n", encoding="utf-8")
    assert run_import(path)["rejects"][0]["field"] == "host"


pytestmark = pytest.mark.django_db
