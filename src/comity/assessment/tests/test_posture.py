"""Deterrence posture: air-policing coverage by hand and on the shipped records (with the
published fact it checks), and the battlegroups, all from the records the viewer may see."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from comity.assessment.air_policing import DetachmentDates, year_coverage
from comity.assessment.posture_selectors import air_policing_coverage, battlegroups, battlegroups_by_year
from comity.core.labels import label_from_marking
from comity.core.testing.factories import make_user
from comity.engagements.models import Engagement

FAR = date(2100, 1, 1)


def test_day_records_are_recorded_and_overlaps_count_once() -> None:
    rows = [
        DetachmentDates("a", date(2020, 1, 1), date(2020, 1, 10), "day"),
        DetachmentDates("b", date(2020, 1, 5), date(2020, 1, 20), "day"),
    ]
    january = year_coverage(rows, 2020, first_day=date(2020, 1, 1), last_day=date(2020, 1, 31))
    assert (january.days, january.recorded, january.uncertain, january.unrecorded) == (31, 20, 0, 11)


def test_month_records_leave_their_first_and_last_month_uncertain() -> None:
    # Known to the month: some day of March to some day of May 2020.
    rows = [DetachmentDates("m", date(2020, 3, 1), date(2020, 5, 1), "month")]
    year = year_coverage(rows, 2020, first_day=date(2000, 1, 1), last_day=FAR)
    assert (year.recorded, year.uncertain) == (30, 31 + 31)  # April sure; March and May uncertain
    assert year.unrecorded == 366 - 30 - 62


def test_an_open_ended_record_claims_only_its_first_day() -> None:
    rows = [DetachmentDates("o", date(2020, 6, 1), None, "day")]
    year = year_coverage(rows, 2020, first_day=date(2000, 1, 1), last_day=FAR)
    assert (year.recorded, year.uncertain, year.open_ended) == (0, 1, ("o",))


def test_days_outside_the_mission_are_not_counted() -> None:
    year = year_coverage([], 2004, first_day=date(2004, 3, 29), last_day=FAR)
    assert year.days == 278 and year.unrecorded == 278
    assert year_coverage([], 2003, first_day=date(2004, 3, 29), last_day=FAR).days == 0


@pytest.mark.django_db
def test_the_records_cover_every_day_of_the_years_they_are_complete_for() -> None:
    """NATO: the Baltic states' airspace has been policed continuously since March 2004 (Allied Air
    Command, 'Baltic Air Policing'). The shipped records leave no day unrecorded in 2009-2012 and
    2014-2023; the years with gaps are those where a record lacks its end (docs/assessment.md)."""
    coverage = {year.year: year for year in air_policing_coverage(make_user("FIN", "SECRET"))}
    for year in (*range(2009, 2013), *range(2014, 2024)):
        assert coverage[year].unrecorded == 0, year
    for year in (2006, 2007, 2013):
        assert coverage[year].open_ended, year  # the gap is a record without an end


@pytest.mark.django_db
def test_a_hidden_record_is_left_out_of_the_coverage_and_the_battlegroups() -> None:
    Engagement.objects.filter(key="efp-battlegroup-lva").update(label=label_from_marking("NATO SECRET REL TO CAN"))
    outsider, insider = make_user("FIN", "SECRET"), make_user("CAN", "SECRET")
    assert "efp-battlegroup-lva" not in {g.key for g in battlegroups(outsider)}
    assert "efp-battlegroup-lva" in {g.key for g in battlegroups(insider)}
    standing = dict(battlegroups_by_year(battlegroups(outsider), 2017, 2023))
    assert standing[2017] == 3 and dict(battlegroups_by_year(battlegroups(insider), 2017, 2023))[2017] == 4
    assert standing[2022] == 6  # and the four of 2022 but Hungary, whose start no record gives


@pytest.mark.django_db
def test_page_lists_coverage_and_battlegroups() -> None:
    client = Client()
    client.force_login(make_user("NLD", "SECRET"))
    page = client.get("/assessment/posture/").content.decode()
    assert 'data-year="2004"' in page and 'data-key="efp-battlegroup-est"' in page
    assert 'href="/engagements/records/efp-battlegroup-hun/"' in page and "date not recorded" in page


@pytest.mark.django_db
def test_the_posture_pages_banner_covers_a_hidden_record_for_its_reader() -> None:
    Engagement.objects.filter(key="efp-battlegroup-lva").update(label=label_from_marking("NATO SECRET REL TO CAN"))
    insider, outsider = Client(), Client()
    insider.force_login(make_user("CAN", "SECRET"))
    outsider.force_login(make_user("FIN", "SECRET"))
    assert ">NATO SECRET REL TO CAN</div>" in insider.get("/assessment/posture/").content.decode()
    assert "REL TO CAN" not in outsider.get("/assessment/posture/").content.decode()
