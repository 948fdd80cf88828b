"""Statuses that follow the calendar: shipped historical records take their status from their
dates when they load, and a rotation's missing end is its successor's start (issue 11)."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest
from django.utils import timezone

from comity.engagements.calendar_status import (
    LONGEST_TERM,
    SUCCESSOR_WITHIN,
    Detachment,
    settle_rotations,
    status_from_dates,
)
from comity.engagements.choices import EngagementKind, Status
from comity.engagements.lifecycle import last_day
from comity.engagements.loading import ENGAGEMENTS_DIR
from comity.engagements.models import Engagement

TODAY = date(2026, 6, 15)


def _status(start: date | None, end: date | None, precision: str = "day", bounded: bool = True) -> str | None:
    return status_from_dates(start=start, end=end, precision=precision, today=TODAY, bounded=bounded)


def test_a_past_end_completes_and_a_month_end_means_its_last_day() -> None:
    assert _status(date(2017, 5, 22), date(2017, 6, 2)) == Status.COMPLETED
    assert _status(date(2026, 6, 1), date(2026, 6, 14)) == Status.COMPLETED
    # "June 2026" may end on the 30th: not completed on the 15th, but under way since the 1st.
    assert _status(date(2026, 6, 1), date(2026, 6, 1), "month") == Status.ONGOING
    assert _status(date(2026, 5, 1), date(2026, 5, 1), "month") == Status.COMPLETED
    assert _status(date(2026, 7, 1), date(2026, 7, 9)) == Status.PLANNED
    assert _status(None, date(2026, 7, 9)) == Status.PLANNED


def test_without_an_end_a_bounded_record_is_over_after_the_longest_term_and_presence_stays_ongoing() -> None:
    recent, old = TODAY - LONGEST_TERM, date(2017, 5, 22)
    assert _status(recent, None) == Status.ONGOING
    assert _status(old, None) == Status.COMPLETED
    assert _status(old, None, bounded=False) == Status.ONGOING  # a battlegroup that stands
    assert _status(date(2026, 9, 1), None) == Status.PLANNED
    assert _status(None, None) is None  # no dates: the dates say nothing


def _rotation(rotation: str, base: str, start: date | None, end: date | None = None, month: bool = False) -> Detachment:
    precision = "month" if month else "day"
    return Detachment(rotation, base, start, precision, end, precision)


def test_a_rotation_ends_when_its_successor_at_the_same_base_starts() -> None:
    rows = [
        _rotation("A", "Siauliai", date(2015, 5, 1)),
        _rotation("A", "Malbork", date(2015, 5, 1)),  # the next rotation has no Malbork detachment
        _rotation("B", "Siauliai", date(2015, 9, 1), month=True),
        _rotation("C", "Siauliai", None),  # no start: gives no end to B
        _rotation("D", "Siauliai", date(2016, 9, 1), date(2017, 1, 5)),
    ]
    a, a_malbork, b, c, d = settle_rotations(rows, TODAY)
    assert (a.end, a.precision, a.status, a.successor) == (date(2015, 9, 1), "month", Status.COMPLETED, "B")
    assert (a_malbork.end, a_malbork.status, a_malbork.successor) == (None, Status.COMPLETED, None)
    # B and C were followed by D, which began: over, though no date says when.
    assert (b.end, b.status, c.end, c.status) == (None, Status.COMPLETED, None, Status.COMPLETED)
    assert (d.end, d.status, d.successor) == (date(2017, 1, 5), Status.COMPLETED, None)


def test_a_successor_after_a_gap_in_the_data_gives_no_end() -> None:
    late = TODAY - timedelta(days=30)  # years after A: rotations in between are missing
    assert late > date(2019, 9, 1) + SUCCESSOR_WITHIN
    first, last = settle_rotations([_rotation("A", "Amari", date(2019, 9, 1)), _rotation("B", "Amari", late)], TODAY)
    assert (first.end, first.status) == (None, Status.COMPLETED)
    assert (last.end, last.status) == (None, Status.ONGOING)
    (alone,) = settle_rotations([_rotation("A", "Amari", TODAY)], TODAY)
    assert (alone.end, alone.status) == (None, Status.ONGOING)


def test_the_shipped_rotations_are_in_chronological_order() -> None:
    """The successor rule reads the file's order of rotations as time's order (to the month)."""
    months: dict[str, str] = {}
    with (ENGAGEMENTS_DIR / "baltic_air_policing.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            month = row["start_date"][:7]
            if month:
                months[row["rotation"]] = min(month, months.get(row["rotation"], month))
    assert len(months) > 30
    assert list(months.values()) == sorted(months.values())


@pytest.mark.django_db
def test_shipped_past_exercises_load_as_completed() -> None:
    assert Engagement.objects.get(key="arctic-challenge-2017").status == Status.COMPLETED
    assert Engagement.objects.get(key="locked-shields-2022").status == Status.COMPLETED  # stated: no dates
    shipped = Engagement.objects.filter(kind=EngagementKind.EXERCISE).exclude(key__startswith="demo-")
    assert not shipped.filter(start_date__year__lt=timezone.localdate().year - 1, status=Status.PLANNED).exists()


@pytest.mark.django_db
def test_an_air_policing_rotation_ends_at_its_successors_start() -> None:
    rotation = Engagement.objects.get(key="bap-2015-05-nor-siauliai")
    successor = Engagement.objects.get(key="bap-2015-09-hun-siauliai")
    assert rotation.end_date == successor.start_date == date(2015, 9, 1)
    assert rotation.status == Status.COMPLETED
    assert "End date derived from the start of the next rotation at Siauliai (2015-09 HUN)" in rotation.notes
    amari = Engagement.objects.get(key="bap-45-amari")
    assert amari.end_date == Engagement.objects.get(key="bap-2018-01-dnk-amari").start_date
    assert amari.status == Status.COMPLETED


@pytest.mark.django_db
def test_no_shipped_record_that_has_ended_is_planned_or_ongoing() -> None:
    today = timezone.localdate()
    ended = [
        engagement.key
        for engagement in Engagement.objects.exclude(key__startswith="demo-").exclude(end_date=None)
        if last_day(engagement.end_date, engagement.date_precision) < today
        and engagement.status in (Status.PLANNED, Status.ONGOING)
    ]
    assert Engagement.objects.filter(key__startswith="bap-").count() == 92
    assert ended == []
    # Standing presence with a start and no end stays ongoing.
    assert Engagement.objects.get(key="efp-battlegroup-est").status == Status.ONGOING
