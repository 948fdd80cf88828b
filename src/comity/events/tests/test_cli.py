"""The ``comity events`` contracts: ingest JSON, the series CSV header, label visibility."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from comity.core.access import LabelSpec
from comity.core.labels import label_get_or_create
from comity.core.services import policies_load
from comity.events.selectors import membership_table
from comity.events.tests.conftest import DATA, GEORGIA
from comity.registry.services import registry_load

GOLDEN_HEADER = (
    "period,source,target,events,goldstein_sum,goldstein_mean,"
    "verbal_coop,material_coop,verbal_conflict,material_conflict"
)


@pytest.fixture
def loaded(db: None, settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A database with the policies and registry, and a fresh data directory."""
    policies_load(acting_user=None)
    registry_load(acting_user=None)
    settings.DATA_DIR = tmp_path
    return tmp_path


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("events", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_ingest_prints_one_json_object(loaded: Path) -> None:
    output = run("ingest", str(GEORGIA), "--format", "gdelt1")
    assert json.loads(output) == {"read": 2836, "accepted": 2836, "rejected": 0, "duplicates": 0}
    assert output.count("\n") == 1
    assert (loaded / "events" / "store").is_dir()


def test_series_csv_golden_header_and_rows(loaded: Path) -> None:
    run("ingest", str(GEORGIA), "--format", "gdelt1")
    output = run("series", "--source", "nato", "--target", "RUS", "--freq", "month", "--format", "csv")
    lines = output.splitlines()
    assert lines[0] == GOLDEN_HEADER
    rows = list(csv.DictReader(io.StringIO(output)))
    assert [r["period"] for r in rows] == [f"2012-{m:02d}" for m in range(1, 7)]
    assert {(r["source"], r["target"]) for r in rows} == {("NATO", "RUS")}
    window = ("--from", "2012-02-01", "--to", "2012-03-31")
    bounded = run("series", "--source", "USA", "--target", "RUS", "--freq", "month", *window, "--format", "csv")
    assert [line.split(",")[0] for line in bounded.splitlines()[1:]] == ["2012-02", "2012-03"]


def test_as_user_applies_label_visibility(loaded: Path, django_user_model: type) -> None:
    secret = label_get_or_create(LabelSpec("NATO", "SECRET", 4, (), timezone.now()))
    run("ingest", str(DATA / "icews_events_2018_sample_first600.tab"), "--format", "icews", "--label", str(secret.pk))
    django_user_model.objects.create_user(username="reader", password="a long enough password")
    args = ("series", "--source", "BGD", "--target", "VNM", "--freq", "day", "--format", "csv")
    assert len(run(*args).splitlines()) == 2  # the system user sees every label
    assert run(*args, "--as", "reader").splitlines() == [GOLDEN_HEADER]


def test_unknown_user_and_unreadable_file_are_command_errors(loaded: Path, tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no user"):
        run("series", "--source", "USA", "--target", "RUS", "--as", "nobody", "--format", "csv")
    bad = tmp_path / "bad.tab"
    bad.write_text("not an ICEWS file\n", encoding="utf-8")
    with pytest.raises(CommandError, match="cannot ingest"):
        run("ingest", str(bad), "--format", "icews")


def test_membership_selector_reads_the_registry(loaded: Path, membership_rows: object) -> None:
    from_db = membership_table().to_pyarrow()
    key = ["group", "iso3", "start"]
    assert from_db.sort_by([(k, "ascending") for k in key]).equals(
        membership_rows.sort_by([(k, "ascending") for k in key])
    )


@pytest.mark.database_url
def test_console_script_end_to_end(tmp_path: Path) -> None:
    """The installed ``comity`` script: setup, ingest (no progress on stdout), series."""
    script = Path(sys.executable).with_name("comity")
    env = {**os.environ, "COMITY_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "comity.settings.base"}

    def comity(*args: str) -> str:
        done = subprocess.run([str(script), *args], env=env, capture_output=True, text=True, check=True, timeout=120)
        return done.stdout

    comity("setup")
    assert json.loads(comity("events", "ingest", str(GEORGIA), "--format", "gdelt1"))["accepted"] == 2836
    output = comity("events", "series", "--source", "USA", "--target", "GEO", "--freq", "month", "--format", "csv")
    assert output.splitlines()[0] == GOLDEN_HEADER
    assert len(output.splitlines()) == 7


def test_alerts_lists_top_changes(loaded: Path) -> None:
    from django.core.management.base import CommandError

    run("ingest", str(GEORGIA), "--format", "gdelt1")
    output = run(
        "alerts", "--freq", "week", "--dyad", "NATO:RUS", "--dyad", "RUS:NATO", "--window", "4", "--limit", "3"
    )
    rows = list(csv.DictReader(io.StringIO(output)))
    assert output.splitlines()[0] == "period,source,target,events,conflict,value,baseline,z"
    assert len(rows) == 3
    assert [float(r["z"]) for r in rows] == sorted((float(r["z"]) for r in rows), reverse=True)
    with pytest.raises(CommandError, match="SOURCE:TARGET"):
        run("alerts", "--dyad", "NATO")


def test_progress_bar_goes_to_a_terminal_stderr_never_stdout(loaded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    output = run("ingest", str(GEORGIA), "--format", "gdelt1")
    assert json.loads(output)["accepted"] == 2836
    assert output.count("\n") == 1
    assert GEORGIA.name in terminal.getvalue()  # the bar's description was drawn


@pytest.mark.parametrize("label", ["99999", "0", "-1"])
def test_ingest_under_a_label_that_does_not_exist_is_refused(loaded: Path, label: str) -> None:
    with pytest.raises(CommandError, match=f"--label {label} is not the id of a label"):
        run("ingest", str(GEORGIA), "--format", "gdelt1", "--label", label)
    assert not (loaded / "events").exists()


def test_ingest_under_an_existing_label(loaded: Path) -> None:
    secret = label_get_or_create(LabelSpec("NATO", "SECRET", 4, (), timezone.now()))
    output = run("ingest", str(GEORGIA), "--format", "gdelt1", "--label", str(secret.pk))
    assert json.loads(output)["accepted"] == 2836
