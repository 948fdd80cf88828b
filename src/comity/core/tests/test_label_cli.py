"""``comity label marking FILE [--lang]`` and ``comity label validate FILE``: one line out, exit 0
for a valid label, exit 1 with the reason on standard error for anything else."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from comity.cli import main
from comity.core.testing.cli import console_script

FIXTURES = Path(__file__).parent / "data" / "labels"
LABEL_NS = "urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"

pytestmark = pytest.mark.django_db


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``comity ARGS`` in this process as the console script does: exit status, out, err."""
    try:
        main(list(args))
        status = 0
    except SystemExit as stop:
        status = int(stop.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def write_label(tmp_path: Path, policy: str, classification: str, info: str = "") -> Path:
    path = tmp_path / "label.xml"
    path.write_text(
        f'<l:ConfidentialityLabel xmlns:l="{LABEL_NS}"><l:ConfidentialityInformation>'
        f"<l:PolicyIdentifier>{policy}</l:PolicyIdentifier><l:Classification>{classification}</l:Classification>"
        f"{info}</l:ConfidentialityInformation><l:CreationDateTime>2025-01-01T00:00:00Z</l:CreationDateTime>"
        "</l:ConfidentialityLabel>"
    )
    return path


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "NATO RESTRICTED Releasable To Switzerland, Ukraine, Japan\n"),
        ("fr", "NATO DIFFUSION RESTREINTE Releasable To Suisse, Ukraine, Japon\n"),
    ],
)
def test_marking_prints_the_display_marking_on_one_line(lang: str, line: str) -> None:
    out = StringIO()
    call_command("label", "marking", str(FIXTURES / "foreign-prefix.xml"), "--lang", lang, stdout=out)
    assert out.getvalue() == line


def test_marking_reads_a_binding(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "label", "marking", str(FIXTURES / "binding.xml")) == (0, "NATO SECRET Releasable To NATO\n", "")


def test_validate_exits_0_for_a_valid_label(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "label", "validate", str(FIXTURES / "originator-integer-values.xml"))
    assert (status, err) == (0, "")
    assert out.startswith("valid: NATO SECRET")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("no-creation-time.xml", "has no CreationDateTime"),
        ("binding-two-labels.xml", "2 different originatorConfidentialityLabel"),
        ("billion-laughs.xml", "label XML"),
        ("external-entity.xml", "declares a DTD"),
        ("README.md", "not well formed"),
        ("missing.xml", "cannot read"),
        (".", "cannot read"),
    ],
)
@pytest.mark.parametrize("action", ["validate", "marking"])
def test_a_file_that_is_no_label_is_exit_1_with_the_reason(
    capsys: pytest.CaptureFixture[str], action: str, name: str, reason: str
) -> None:
    status, out, err = run(capsys, "label", action, str(FIXTURES / name))
    assert (status, out) == (1, "")
    assert reason in err and "Traceback" not in err


def test_validate_refuses_a_value_the_registry_does_not_know(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rel = '<l:Category TagName="Releasable To" Type="PERMISSIVE"><l:GenericValue>ZZZ</l:GenericValue></l:Category>'
    status, _, err = run(capsys, "label", "validate", str(write_label(tmp_path, "NATO", "SECRET", rel)))
    assert status == 1 and "does not allow ZZZ" in err


def test_validate_refuses_an_unknown_policy(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, "label", "validate", str(write_label(tmp_path, "DEU", "GEHEIM")))
    assert status == 1 and "unknown policy/classification DEU GEHEIM" in err


@pytest.mark.usefixtures("rules_policy")
def test_validate_gives_the_spif_rule_a_label_breaks(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    atomal = (
        '<l:Category TagName="Special Category Designators" Type="RESTRICTIVE">'
        "<l:GenericValue>ATOMAL</l:GenericValue></l:Category>"
    )
    bad = write_label(tmp_path, "TEST", "UNCLASSIFIED", atomal)
    # The marking first, through ``call_command``: the console script's ``run_from_argv`` closes
    # the database connection when it ends, which on PostgreSQL ends the test's transaction.
    printed = StringIO()
    call_command("label", "marking", str(bad), "--lang", "fr", stdout=printed)
    assert printed.getvalue() == "ESSAI NON CLASSIFIE ATOMAL\n"
    status, out, err = run(capsys, "label", "validate", str(bad))
    assert (status, out) == (1, "")
    assert "not valid under policy TEST: Special Category Designators ATOMAL may not be used with UNCLASSIFIED" in err


def test_a_database_without_policies_is_a_clear_message(tmp_path: Path) -> None:
    done = console_script(tmp_path, "label", "validate", str(FIXTURES / "foreign-prefix.xml"), timeout=60)
    assert done.returncode == 1
    assert "run `comity setup` first" in done.stderr and "Traceback" not in done.stderr
