"""Saving a rotation plan: dated records whose status follows the calendar, labelled at least as
their sources, idempotent by the plan's name, and found in the calendar, timeline and iCalendar."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from comity.core.labels import label_from_marking
from comity.core.models import AuditEntry
from comity.core.permissions import WriteDenied
from comity.core.testing.factories import make_user
from comity.engagements.choices import Status
from comity.engagements.models import Engagement
from comity.engagements.tests.helpers import make_exercise
from comity.planning import services
from comity.planning.examples import ROTATION_SAMPLE, baltic_air_policing_replanned
from comity.planning.periods import add_months, period_dates
from comity.planning.solvers import InputError

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor() -> Any:
    return make_user("NLD", "SECRET", username="plan-saver", roles=("editor",))


def _sample(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(ROTATION_SAMPLE)
    data["solver"] = {"time_limit_s": 10, "num_workers": 2}
    data.update(changes)
    return data


def _solved(data: dict[str, Any]) -> dict[str, Any]:
    solved = services.plan_solve(kind="rotations", data=data)
    assert solved.has_plan and not solved.violations
    return solved.as_session()


def _save(user: Any, data: dict[str, Any], name: str = "Sample 2027", marking: str = "PUBLIC") -> services.SaveReport:
    return services.rotation_plan_save(
        acting_user=user, plan=_solved(data), label=label_from_marking(marking), title_prefix=name
    )


def test_add_months_keeps_the_day_or_takes_the_month_end() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 15), 4) == date(2028, 3, 15)
    assert add_months(date(2027, 1, 1), -1) == date(2026, 12, 1)


def test_period_dates_from_a_start_and_a_length_or_stated_one_by_one() -> None:
    spans = period_dates(_sample())
    assert spans == {
        "2027-1": (date(2027, 1, 1), date(2027, 4, 30)),
        "2027-2": (date(2027, 5, 1), date(2027, 8, 31)),
        "2027-3": (date(2027, 9, 1), date(2027, 12, 31)),
    }
    stated = {p: {"start": str(s), "end": str(e)} for p, (s, e) in spans.items()}
    explicit = _sample(period_dates=stated)
    del explicit["calendar_start"], explicit["period_months"]
    assert period_dates(explicit) == spans


@pytest.mark.parametrize(
    ("changes", "path", "words"),
    [
        ({"calendar_start": "2027-02-30"}, "calendar_start", "must be a date"),
        ({"period_months": 10**12}, "period_months", "at most 24"),
        ({"period_months": 0}, "period_months", "positive integer"),
        ({"calendar_start": "9998-06-01"}, "period_months", "after 9998-12-31"),
        ({"calendar_start": "0001-01-01"}, "calendar_start", "from 0002-01-01"),
        ({"period_dates": {}}, "period_dates", "two ways"),
    ],
)
def test_bad_period_dates_name_their_field(changes: dict[str, Any], path: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        period_dates(_sample(**changes))
    assert words in caught.value.errors[path]


def test_stated_dates_must_cover_every_period_in_order() -> None:
    data = _sample(
        period_dates={
            "2027-1": {"start": "2027-05-01", "end": "2027-04-01"},
            "2027-2": {"start": "2027-03-01", "end": "2027-06-30"},
            "2027-9": {"start": "2027-01-01", "end": "2027-01-02"},
            "2027-3": ["not", "an", "object"],
        }
    )
    del data["calendar_start"], data["period_months"]
    with pytest.raises(InputError) as caught:
        period_dates(data)
    errors = caught.value.errors
    assert "before the start" in errors["period_dates.2027-1.end"]
    assert "not one of the listed periods" in errors["period_dates.2027-9"]
    assert "must be an object" in errors["period_dates.2027-3"]
    del data["period_dates"]["2027-1"], data["period_dates"]["2027-9"]
    data["period_dates"]["2027-3"] = {"start": "2027-06-01", "end": "2027-12-31"}
    with pytest.raises(InputError) as caught:
        period_dates(data)
    errors = caught.value.errors
    assert "every period needs its dates" in errors["period_dates.2027-1"]
    assert "must start after period 2027-2 ends (2027-06-30)" in errors["period_dates.2027-3"]


def test_saved_records_have_dates_status_label_and_change_log(editor: Any) -> None:
    report = _save(editor, _sample())
    assert report.created and not report.unchanged
    spans = period_dates(ROTATION_SAMPLE)
    for record in report.created:
        period = record.title.rsplit("period ", 1)[1]
        assert (record.start_date, record.end_date) == spans[period] and record.date_precision == "day"
        assert record.status == Status.PLANNED and record.kind == "posture"
        assert record.label.marking == "PUBLIC"
        entry = AuditEntry.objects.get(content_type__model="engagement", object_id=str(record.pk), action="create")
        assert entry.username == "plan-saver" and entry.after["start_date"] == str(record.start_date)


def test_status_follows_the_calendar(editor: Any) -> None:
    today = timezone.localdate()
    first = today.replace(day=1) - timedelta(days=400)
    report = _save(editor, _sample(calendar_start=str(add_months(first, 0)), period_months=6), name="Moving")
    by_period = {r.title.rsplit("period ", 1)[1]: r.status for r in report.created}
    # Periods of six months from about 13 months ago: the first is over, the third still to come
    # or under way, whatever today is.
    assert by_period["2027-1"] == Status.COMPLETED
    assert by_period.get("2027-3", Status.ONGOING) in (Status.ONGOING, Status.PLANNED)


def test_label_is_raised_to_cover_the_sources(editor: Any) -> None:
    make_exercise("plan-source-restricted", label="NATO RESTRICTED REL TO NATO", start_date="2026-01-05")
    report = _save(editor, _sample(derived_from=["plan-source-restricted"]), name="Derived", marking="PUBLIC")
    assert report.label is not None and report.label.marking == "NATO RESTRICTED REL TO NATO"
    assert {r.label_id for r in report.created} == {report.label.pk}


def test_hidden_or_missing_sources_read_the_same(editor: Any) -> None:
    make_exercise("plan-source-secret", label="NATO SECRET REL TO FIN", start_date="2026-01-05")
    for key in ("plan-source-secret", "no-such-record"):
        with pytest.raises(services.PlanSaveError, match=f"derived_from names no record you may see: {key}"):
            _save(editor, _sample(derived_from=[key]), name="Hidden")
    with pytest.raises(services.PlanSaveError, match="list of record keys"):
        _save(editor, _sample(derived_from="plan-source-secret"), name="Hidden")
    assert not Engagement.objects.filter(key__startswith="plan-hidden--").exists()


def test_saving_twice_creates_nothing_and_another_plan_under_the_name_is_refused(editor: Any) -> None:
    first = _save(editor, _sample())
    again = _save(editor, _sample())
    assert not again.created and {r.pk for r in again.unchanged} == {r.pk for r in first.created}
    entries = AuditEntry.objects.count()
    with pytest.raises(services.PlanSaveError, match="saved before with other assignments or dates"):
        _save(editor, _sample(calendar_start="2028-01-01"))
    assert AuditEntry.objects.count() == entries
    # A name that merely starts like it is another plan.
    assert _save(editor, _sample(), name="Sample 2027 bis").created


def test_a_plan_without_dates_or_a_viewer_is_refused(editor: Any) -> None:
    bap = baltic_air_policing_replanned()
    bap["solver"] = {"time_limit_s": 20, "num_workers": 2}
    with pytest.raises(services.PlanSaveError, match="period_dates is required to save a plan"):
        services.rotation_plan_save(
            acting_user=editor, plan=_solved(bap), label=label_from_marking("PUBLIC"), title_prefix="BAP"
        )
    viewer = make_user("NLD", "SECRET", username="plan-viewer", roles=("viewer",))
    with pytest.raises(WriteDenied):
        _save(viewer, _sample(), name="Viewer")


def test_long_names_and_ids_still_give_distinct_keys() -> None:
    long = "P" * 90
    a, b = (
        services.plan_key("N" * 80, long + "1", "B", "DEU"),
        services.plan_key("N" * 80, long + "2", "B", "DEU"),
    )
    assert a != b and len(a) == len(b) == 100 and a.startswith(services.plan_prefix("N" * 80))


def test_saved_plan_shows_in_calendar_timeline_and_icalendar(editor: Any) -> None:
    marking = "NATO RESTRICTED REL TO NATO"
    report = _save(editor, _sample(), marking=marking)
    client = Client()
    client.force_login(editor)
    record = min(report.created, key=lambda r: r.start_date)
    month = client.get("/engagements/calendar/", {"year": 2027, "month": 2}).content.decode()
    assert record.title in month
    timeline = client.get("/engagements/timeline/", {"from": 2027, "to": 2027}).content.decode()
    assert all(r.title in timeline for r in report.created)
    feed = client.get("/planning/saved.ics", {"plan": "Sample 2027"})
    assert feed["Content-Type"] == "text/calendar" and feed["X-Comity-Marking"] == marking
    events = {str(e["UID"]): e for e in Calendar.from_ical(feed.content).walk("VEVENT")}
    assert events.keys() == {f"{r.key}@comity" for r in report.created}
    event = events[f"{record.key}@comity"]
    assert event.decoded("DTSTART") == record.start_date
    assert event.decoded("DURATION") == record.end_date - record.start_date + timedelta(days=1)
    # Someone who may not see the records finds none of them, anywhere.
    outsider = Client()
    outsider.force_login(make_user("NLD", username="plan-outsider"))
    assert b"VEVENT" not in outsider.get("/planning/saved.ics").content
    assert record.title not in outsider.get("/engagements/calendar/", {"year": 2027, "month": 2}).content.decode()
