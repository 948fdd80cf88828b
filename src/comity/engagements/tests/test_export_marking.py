"""An export is never marked below what it holds: the download's marking is the least upper bound
of its rows' labels, and an iCalendar feed says it in its name, its events in ``CLASS`` and in a
property of their own."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from comity.core.banner import bound_marking
from comity.core.derivation import uncovered_by
from comity.core.labels import label_get_or_create
from comity.core.testing.factories import make_user
from comity.core.testing.scale import scaled
from comity.engagements.exporting import export_marking
from comity.engagements.models import Exercise
from comity.engagements.tests.helpers import make_exercise

pytestmark = pytest.mark.django_db

MARKINGS = (
    "PUBLIC",
    "NATO UNCLASSIFIED REL TO PFP, NATO",
    "NATO RESTRICTED REL TO NATO",
    "NATO RESTRICTED REL TO NLD, FIN",
    "NATO CONFIDENTIAL REL TO NATO, UKR",
    "NATO SECRET REL TO FIN, SWE",
    "NATO SECRET REL TO NLD",
    "NATO SECRET",
)


@pytest.fixture
def records() -> list[Exercise]:
    return [
        make_exercise(f"em-{index}", title=f"Export {index}", label=marking, start_date="2021-06-01")
        for index, marking in enumerate(MARKINGS)
    ]


@settings(max_examples=scaled(400), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picks=st.lists(st.integers(min_value=0, max_value=len(MARKINGS) - 1), min_size=1, max_size=5))
def test_the_marking_covers_every_row(records: list[Exercise], picks: list[int]) -> None:
    rows = [records[i] for i in picks]
    marking, spec = bound_marking(row.label for row in rows)
    assert spec is not None and marking == export_marking(rows)
    assert uncovered_by(label_get_or_create(spec), [row.label for row in rows]) is None, marking


def test_the_download_and_the_calendar_carry_it(records: list[Exercise]) -> None:
    client = Client()
    client.force_login(make_user("NLD", "SECRET", username="em-reader"))
    csv = client.get("/api/engagements/exercises/export/", {"q": "em-", "export_format": "csv"})
    shown = [r for r in records if r.key in csv.content.decode()]
    assert {r.key for r in shown} == {f"em-{i}" for i in (0, 1, 2, 3, 4, 6, 7)}  # not REL TO FIN, SWE
    assert csv["X-Comity-Marking"] == export_marking(shown)
    _, spec = bound_marking(r.label for r in shown)
    assert spec is not None and uncovered_by(label_get_or_create(spec), [r.label for r in shown]) is None
    feed = Calendar.from_ical(
        client.get("/api/engagements/exercises/export/", {"q": "em-", "export_format": "ics"}).content
    )
    assert str(feed["X-WR-CALNAME"]) == f"comity engagements ({csv['X-Comity-Marking']})"
    events = {str(e["UID"]): e for e in feed.walk("VEVENT")}
    assert str(events["em-0@comity"]["CLASS"]) == "PUBLIC"
    assert str(events["em-7@comity"]["CLASS"]) == "CONFIDENTIAL"
    assert str(events["em-6@comity"]["X-COMITY-MARKING"]) == "NATO SECRET REL TO NLD"
