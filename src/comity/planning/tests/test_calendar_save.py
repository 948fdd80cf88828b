"""Saving an exercise calendar: one dated exercise per scheduled exercise, through the rotation
save's write rule (an editor, a label covering the sources, one transaction, saved once), found
in the month calendar, the timeline, the exercises' iCalendar export and the saved-plans feed."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from icalendar import Calendar

from comity.core.labels import label_from_marking
from comity.core.models import AuditEntry, User
from comity.core.permissions import WriteDenied
from comity.core.testing.factories import make_user
from comity.engagements.choices import Status
from comity.engagements.models import Engagement, Exercise
from comity.engagements.tests.helpers import make_exercise
from comity.planning import services
from comity.planning.examples import CALENDAR_SAMPLE

pytestmark = pytest.mark.django_db

NAME = "Calendar 2027"


@pytest.fixture
def editor() -> User:
    return make_user("NLD", "SECRET", username="calendar-saver", roles=("editor",))


def _sample(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(CALENDAR_SAMPLE)
    data["solver"] = {"time_limit_s": 10, "num_workers": 2}
    data.update(changes)
    return data


def _plan(data: dict[str, Any]) -> dict[str, Any]:
    solved = services.plan_solve(kind="calendar", data=data)
    assert solved.has_plan and not solved.violations
    return solved.as_session()


def _save(user: User, plan: dict[str, Any], name: str = NAME, marking: str = "PUBLIC") -> services.SaveReport:
    return services.calendar_plan_save(
        acting_user=user, plan=plan, label=label_from_marking(marking), title_prefix=name
    )


def test_each_scheduled_exercise_becomes_a_dated_exercise_with_its_participants(editor: User) -> None:
    plan = _plan(_sample())
    report = _save(editor, plan)
    scheduled = {item["id"]: item for item in plan["output"]["scheduled"]}
    assert len(report.created) == len(scheduled) and not report.unchanged
    for record in report.created:
        item = scheduled[record.key.rsplit("--", 1)[1].upper()]
        exercise = Exercise.objects.get(pk=record.pk)
        assert (str(exercise.start_date), str(exercise.end_date)) == (item["start_date"], item["end_date"])
        assert (exercise.kind, exercise.status, exercise.label.marking) == ("exercise", Status.PLANNED, "PUBLIC")
        assert exercise.location == (item["area"] or "") and exercise.personnel == item["troops"]
        assert exercise.source == services.CALENDAR_PLAN_SOURCE
        wanted = next(x for x in CALENDAR_SAMPLE["exercises"] if x["id"] == item["id"])["participants"]
        assert dict(exercise.participants.values_list("state__iso3", "personnel")) == wanted
        entry = AuditEntry.objects.get(content_type__model="exercise", object_id=str(record.pk), action="create")
        assert entry.username == "calendar-saver" and entry.after["start_date"] == item["start_date"]
    anakonda = Exercise.objects.get(key=services.plan_key(NAME, "ANAKONDA"))
    assert anakonda.battle_tanks == 120
    assert f"notify by {scheduled['ANAKONDA']['notify_by']}" in anakonda.notes


def test_a_past_calendar_is_saved_as_completed(editor: User) -> None:
    start = date.today() - timedelta(weeks=60)
    start -= timedelta(days=start.weekday())
    report = _save(editor, _plan(_sample(calendar_start=str(start), planning_date=str(start - timedelta(days=90)))))
    assert {record.status for record in report.created} == {Status.COMPLETED}


def test_the_label_covers_the_sources_and_a_hidden_one_reads_as_missing(editor: User) -> None:
    make_exercise("calendar-source", label="NATO RESTRICTED REL TO NATO", start_date="2026-01-05")
    make_exercise("calendar-secret", label="NATO SECRET REL TO FIN", start_date="2026-01-05")
    with pytest.raises(services.PlanSaveError, match="derived_from names no record you may see: calendar-secret"):
        _save(editor, _plan(_sample(derived_from=["calendar-secret"])), name="Hidden source")
    report = _save(editor, _plan(_sample(derived_from=["calendar-source"])))
    assert report.label is not None and report.label.marking == "NATO RESTRICTED REL TO NATO"
    assert {record.label_id for record in report.created} == {report.label.pk}


def test_the_write_rule_and_the_checker_refuse_and_saving_twice_creates_nothing(editor: User) -> None:
    plan = _plan(_sample())
    viewer = make_user("NLD", "SECRET", username="calendar-viewer", roles=("viewer",))
    with pytest.raises(WriteDenied):
        _save(viewer, plan)
    broken = copy.deepcopy(plan)
    broken["output"]["scheduled"][0]["start_week"] = 0
    with pytest.raises(services.PlanSaveError, match="breaks the calendar rules"):
        _save(editor, broken)
    with pytest.raises(services.PlanSaveError, match="no solved plan"):
        _save(editor, {})
    assert not Engagement.objects.filter(key__startswith=services.plan_prefix(NAME)).exists()
    first = _save(editor, plan)
    again = _save(editor, plan)
    assert not again.created and {r.pk for r in again.unchanged} == {r.pk for r in first.created}
    with pytest.raises(services.PlanSaveError, match="saved before"):
        _save(editor, _plan(_sample(calendar_start="2027-03-01", planning_date="2027-01-01")))


def test_the_saved_plan_shows_in_the_calendar_and_the_icalendar_exports(editor: User) -> None:
    """Solve on the page, save through the page, and find the records where a planner looks."""
    client = Client()
    client.force_login(editor)
    client.post("/planning/calendar/", {"example": "calendar-sample"})
    marking = "NATO RESTRICTED REL TO NATO"
    saved = client.post("/planning/calendar/save/", {"title_prefix": NAME, "marking": marking})
    assert saved.status_code == 302 and "kind=exercise" in saved["Location"]
    records = list(Engagement.objects.filter(key__startswith=services.plan_prefix(NAME)).order_by("start_date"))
    assert len(records) == 4 and {r.label.marking for r in records} == {marking}
    month = client.get("/engagements/calendar/", {"year": 2027, "month": 3}).content.decode()
    assert all(r.title in month for r in records if r.start_date.month == 3)
    timeline = client.get("/engagements/timeline/", {"from": 2027, "to": 2027}).content.decode()
    assert all(r.title in timeline for r in records)
    exported = client.get("/api/engagements/exercises/export/", {"q": NAME, "export_format": "ics"})
    assert exported.status_code == 200 and exported["X-Comity-Marking"] == marking
    events = {str(e["UID"]): e for e in Calendar.from_ical(exported.content).walk("VEVENT")}
    assert events.keys() == {f"{r.key}@comity" for r in records}
    first = events[f"{records[0].key}@comity"]
    assert first.decoded("DTSTART") == records[0].start_date
    assert first.decoded("DURATION") == records[0].end_date - records[0].start_date + timedelta(days=1)
    feed = client.get("/planning/saved.ics", {"plan": NAME})
    assert {str(e["UID"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")} == events.keys()
    outsider = Client()
    outsider.force_login(make_user("NLD", username="calendar-outsider"))
    assert b"VEVENT" not in outsider.get("/planning/saved.ics").content
    assert records[0].title not in outsider.get("/engagements/calendar/", {"year": 2027, "month": 1}).content.decode()


def test_a_refused_page_save_says_why_and_leaves_nothing(editor: User) -> None:
    client = Client()
    client.force_login(editor)
    nothing = client.post("/planning/calendar/save/", {"title_prefix": NAME, "marking": "PUBLIC"}, follow=True)
    assert "There is no solved plan to save." in nothing.content.decode()
    client.post("/planning/calendar/", {"example": "calendar-sample"})
    high = client.post(
        "/planning/calendar/save/", {"title_prefix": NAME, "marking": "NATO SECRET REL TO DEU"}, follow=True
    )
    assert "above what you may see" in high.content.decode()
    assert not Engagement.objects.filter(key__startswith=services.plan_prefix(NAME)).exists()
