"""The CLI contract of ``comity assess burden`` (other tools rely on it exactly)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from comity.core.testing.cli import console_script

pytestmark = pytest.mark.django_db

HEADER = "iso3,defence_share_gdp,equipment_share,meets_2pct,meets_20pct"


def run(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("assess", "burden", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_csv_contract_2019() -> None:
    text = run("--year", "2019", "--format", "csv")
    assert text.splitlines()[0] == HEADER
    rows = {row["iso3"]: row for row in csv.DictReader(io.StringIO(text))}
    assert len(rows) == 28  # the 29 Allies of 2019 but Iceland, which has no figure
    assert rows["USA"]["meets_2pct"] == "true" and float(rows["USA"]["defence_share_gdp"]) == pytest.approx(3.486, 1e-3)
    assert rows["BEL"]["meets_2pct"] == "false" and rows["BEL"]["meets_20pct"] == "false"
    assert rows["LUX"]["meets_20pct"] == "true"  # 44.6% on equipment, 0.55% of GDP


def test_a_missing_figure_is_an_empty_cell() -> None:
    rows = list(csv.DictReader(io.StringIO(run("--year", "2021"))))
    assert rows and all(row["equipment_share"] == "" and row["meets_20pct"] == "" for row in rows)


def test_json_gives_each_figure_with_its_provenance() -> None:
    answer = json.loads(run("--year", "2019", "--format", "json"))
    assert answer["year"] == 2019 and answer["gdp_guideline"] == 2.0 and len(answer["rows"]) == 28
    usa = next(row for row in answer["rows"] if row["iso3"] == "USA")
    assert usa["name"] == "United States" and usa["meets_2pct"] is True
    assert usa["equipment_share"]["estimate"] is True and usa["equipment_share"]["edition"] == "2019-06"
    assert "NATO" in usa["defence_share_gdp"]["source"]


@pytest.mark.parametrize("year", ["1800", "2031", "abc", "2019.5", "", "99999999999999999999999"])
def test_a_bad_year_is_a_usage_error(year: str) -> None:
    with pytest.raises(CommandError, match="--year") as caught:
        run("--year", year)
    assert caught.value.returncode == 2


def test_the_console_script_exits_2_without_a_traceback(tmp_path: Path) -> None:
    done = console_script(tmp_path, "assess", "burden", "--year", "1900")
    assert done.returncode == 2
    assert "outside the years the shipped figures cover (2012 to 2024)" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
