"""The annual assessment report: two readers who see different parts get different reports, each
labelled with the bound of what it contains on every page, never a redacted copy of the other's."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from pypdf import PdfReader

from comity.assessment.models import Measurement
from comity.assessment.report import build_report
from comity.assessment.report_pdf import report_pdf
from comity.core.labels import label_from_marking
from comity.core.testing.factories import make_user
from comity.engagements.models import Indicator, Objective
from comity.engagements.tests.helpers import make_exercise

pytestmark = pytest.mark.django_db

HIDDEN = "NATO SECRET REL TO USA"


@pytest.fixture
def readers() -> tuple[object, object]:
    title = "Hidden Zebra <b>exercise</b>"
    make_exercise("report-hidden", title=title, start_date="2018-06-01", participants="USA;DEU", label=HIDDEN)
    Objective.objects.create(code="report-hidden-obj", title="Quiet Heron objective", label=label_from_marking(HIDDEN))
    return make_user("USA", "SECRET"), make_user("DEU", "SECRET")


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_each_reader_gets_the_report_of_what_they_may_see(readers: tuple[object, object]) -> None:
    insider, outsider = readers
    inside, outside = build_report(insider, 2018), build_report(outsider, 2018)
    assert inside.marking == HIDDEN and outside.marking == "PUBLIC"
    assert any(e.key == "report-hidden" for e in inside.evidence)
    assert not any(e.key == "report-hidden" for e in outside.evidence)
    assert inside.network.multinational == outside.network.multinational + 1


def test_every_pdf_page_carries_the_reports_label_top_and_bottom(readers: tuple[object, object]) -> None:
    insider, outsider = readers
    inside = _pages(report_pdf(build_report(insider, 2018)))
    outside = _pages(report_pdf(build_report(outsider, 2018)))
    assert len(inside) >= 3
    for text in inside:
        assert text.count(HIDDEN) >= 2, text[:200]
    for text in outside:
        assert text.count("PUBLIC") >= 2 and HIDDEN not in text
    assert "Hidden Zebra <b>exercise</b>" in "".join(inside)  # user text stays text
    assert "Quiet Heron" in "".join(inside)
    assert "Zebra" not in "".join(outside) and "Heron" not in "".join(outside)


def test_the_page_escapes_user_text_and_its_banner_is_the_reports_label(readers: tuple[object, object]) -> None:
    insider, outsider = readers
    client = Client()
    client.force_login(insider)
    page = client.get("/assessment/report/", {"year": "2018"}).content.decode()
    assert "Hidden Zebra &lt;b&gt;exercise&lt;/b&gt;" in page and "<b>exercise</b>" not in page
    assert f">{HIDDEN}</div>" in page  # the page banner
    client.force_login(outsider)
    response = client.get("/assessment/report/pdf/", {"year": "2018"})
    assert response["Content-Type"] == "application/pdf"
    assert "Zebra" not in "".join(_pages(response.content))


@pytest.mark.parametrize("year", ["2011", "2020", "abc", "99999999999999999999"])
def test_bad_years_are_a_400(year: str) -> None:
    client = Client()
    client.force_login(make_user("NLD", "SECRET"))
    assert client.get("/assessment/report/", {"year": year}).status_code == 400
    assert client.get("/assessment/report/pdf/", {"year": year}).status_code == 400


def test_cli_writes_the_report_of_the_named_user(readers: tuple[object, object], tmp_path: Path) -> None:
    insider, _ = readers
    out = io.StringIO()
    target = tmp_path / "report.pdf"
    call_command("assess", "report", "--year", "2018", "--as", insider.username, "--out", str(target), stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["label"] == HIDDEN and summary["bytes"] == target.stat().st_size
    assert target.read_bytes().startswith(b"%PDF")
    html = tmp_path / "report.html"
    call_command("assess", "report", "--year", "2018", "--as", insider.username, "--out", str(html), "--format", "html")
    assert "Hidden Zebra &lt;b&gt;" in html.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--year", "2030", "--as", "x"], "outside"), (["--year", "2018", "--as", "no.such.user"], "no active user")],
)
def test_cli_bad_input_exits_2(args: list[str], message: str, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=message) as error:
        call_command("assess", "report", *args, "--out", str(tmp_path / "r.pdf"))
    assert error.value.returncode == 2


def test_an_objectives_measurements_are_in_the_report_of_a_reader_who_may_see_them() -> None:

    objective = Objective.objects.create(
        code="report-measured", title="Measured objective", label=label_from_marking("PUBLIC")
    )
    indicator = Indicator.objects.create(
        objective=objective, name="Pelican readiness", baseline=0, target=10, due=date(2019, 12, 31)
    )
    evidence = make_exercise("report-evidence", start_date="2018-03-01", participants="USA;DEU", label=HIDDEN)
    Measurement.objects.create(
        indicator=indicator, date=date(2018, 6, 30), value=7.25, engagement=evidence, label=label_from_marking(HIDDEN)
    )
    inside, outside = build_report(make_user("USA", "SECRET"), 2018), build_report(make_user("DEU", "SECRET"), 2018)
    [mine] = [s for s in inside.objectives if s.objective.code == "report-measured"]
    [theirs] = [s for s in outside.objectives if s.objective.code == "report-measured"]
    assert [m.value for p in mine.progress for m in p.measurements] == [7.25] and inside.marking == HIDDEN
    assert [m.value for p in theirs.progress for m in p.measurements] == [] and theirs.status == "no_data"
    assert outside.marking == "PUBLIC"
