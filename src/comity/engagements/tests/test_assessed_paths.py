"""Every path to ``assessed`` asks for an after-action report (issue 11): the lifecycle move (see
test_reports.py), an API create and PATCH, an import by a user or by the system, the page form
and the planners' save. Each asks ``services.check_assessment``, the one door to the rule in
``lifecycle.check_report``."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from comity.core.labels import label_from_marking
from comity.core.models import User
from comity.core.testing.factories import make_user
from comity.engagements import reports
from comity.engagements.calendar_status import status_from_dates
from comity.engagements.choices import Status
from comity.engagements.lifecycle import REPORT_NEEDED
from comity.engagements.models import AfterActionReport, Engagement, Exercise
from comity.engagements.tests.helpers import create, logged_in, make_exercise
from comity.engagements.tests.test_import_export import run_import
from comity.engagements.tests.test_record_forms import form_data

pytestmark = pytest.mark.django_db

RESTRICTED = "NATO RESTRICTED REL TO NATO"
HEADER = "key,title,start_date,end_date,lead,participants,status,label,source\n"


@pytest.fixture
def completed() -> Exercise:
    """A completed NLD exercise with no after-action report yet."""
    return make_exercise(
        "asd-done",
        owner="NLD",
        status="completed",
        start_date="2025-03-01",
        end_date="2025-03-05",
        label=RESTRICTED,
        participants="NLD",
    )


def _report(exercise: Exercise, marking: str = RESTRICTED) -> None:
    reports.report_create(
        acting_user=None, engagement=exercise, label=label_from_marking(marking), summary="Test report."
    )


def _file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "assessed.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def _editor() -> User:
    return make_user("NLD", "SECRET", username="asd-editor", roles=("editor",))


# -- the API --------------------------------------------------------------------------------------


def test_an_api_create_cannot_start_assessed() -> None:
    client = logged_in("NLD", "asd-api-creator")
    refused = create(client, "exercises", "asd-new", status="assessed")
    assert refused.status_code == 400 and refused.json() == {"status": REPORT_NEEDED}
    assert not Engagement.objects.filter(key="asd-new").exists()
    assert create(client, "exercises", "asd-new", status="planned").status_code == 201


def test_an_api_patch_of_status_needs_a_report_the_editor_may_read(completed: Exercise) -> None:
    client = logged_in("NLD", "asd-api-patcher", clearance="RESTRICTED")
    url = "/api/engagements/exercises/asd-done/"
    _report(completed, "NATO SECRET REL TO NATO")  # one the editor may not read counts as none
    refused = client.patch(url, {"status": "assessed"}, content_type="application/json")
    assert refused.status_code == 400 and refused.json() == {"status": REPORT_NEEDED}
    AfterActionReport.objects.filter(engagement=completed).update(label=label_from_marking(RESTRICTED))
    moved = client.patch(url, {"status": "assessed"}, content_type="application/json")
    assert moved.status_code == 200 and moved.json()["status"] == "assessed"


# -- imports --------------------------------------------------------------------------------------


def test_an_import_rejects_an_assessed_row_by_line_and_field_and_keeps_the_rest(
    tmp_path: Path, completed: Exercise
) -> None:
    _editor()
    path = _file(
        tmp_path,
        "asd-imp-new,New and assessed,2025-01-10,2025-01-12,NLD,NLD,assessed,PUBLIC,test input\n",
        "asd-imp-ok,New and completed,2025-01-10,2025-01-12,NLD,NLD,completed,PUBLIC,test input\n",
        f"asd-done,asd-done,2025-03-01,2025-03-05,NLD,NLD,assessed,{RESTRICTED},test input\n",
    )
    for who in (("--as", "asd-editor"), ()):  # a user's import and the system's
        result = run_import(path, *who)
        assert [(r["line"], r["field"], r["reason"]) for r in result["rejects"]] == [
            (2, "status", REPORT_NEEDED),
            (4, "status", REPORT_NEEDED),
        ], who
    assert Exercise.objects.get(key="asd-imp-ok").status == Status.COMPLETED
    assert not Exercise.objects.filter(key="asd-imp-new").exists()
    assert Exercise.objects.get(key="asd-done").status == Status.COMPLETED


def test_an_import_assesses_a_completed_record_once_its_report_exists(tmp_path: Path, completed: Exercise) -> None:
    _report(completed)
    path = _file(tmp_path, f"asd-done,asd-done,2025-03-01,2025-03-05,NLD,NLD,assessed,{RESTRICTED},test input\n")
    result = run_import(path, "--as", _editor().username)
    assert (result["updated"], result["rejected"]) == (1, 0)
    assert Exercise.objects.get(key="asd-done").status == Status.ASSESSED


# -- the page form and the planners ---------------------------------------------------------------


def test_the_page_form_sets_no_status_so_a_new_record_is_proposed() -> None:
    """The form has no status field: a record made in the browser reaches ``assessed`` only by
    the lifecycle buttons, which the report rule governs (test_reports.py)."""
    client = logged_in("NLD", "asd-page", clearance="RESTRICTED")
    page = client.post(
        reverse("engagements:record-create", args=["exercise"]), form_data(key="asd-page", status="assessed")
    )
    assert page.status_code == 302
    assert Engagement.objects.get(key="asd-page").status == Status.PROPOSED


@given(
    start=st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2040, 1, 1))),
    length=st.one_of(st.none(), st.integers(0, 800)),
    precision=st.sampled_from(["day", "month"]),
    bounded=st.booleans(),
)
def test_statuses_from_dates_are_never_assessed(
    start: date | None, length: int | None, precision: str, bounded: bool
) -> None:
    """Shipped historical records and the planners' saves take their status from their dates;
    the dates can say a record is over, never that it was judged."""
    end = None if start is None or length is None else start + timedelta(days=length)
    status = status_from_dates(start=start, end=end, precision=precision, today=date(2026, 6, 15), bounded=bounded)
    assert status in (None, Status.PLANNED, Status.ONGOING, Status.COMPLETED)
