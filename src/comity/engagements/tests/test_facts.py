"""Documented engagement facts, checked against the loaded shipped data.

Each case names the public source its data row cites (``src/comity/data/engagements/SOURCES.md``
and the row's ``source`` field); each fails on the value shipped before the correction.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from comity.core.testing.factories import make_user
from comity.engagements.models import Engagement
from comity.engagements.spans import covered

pytestmark = pytest.mark.django_db


def record(key: str) -> Engagement:
    return Engagement.objects.get(key=key)


def test_the_enhanced_nrf_was_raised_to_40000_in_june_2015() -> None:
    """RFE/RL and the Statement by NATO Defence Ministers of 24-25 June 2015: 13,000 to up to 40,000."""
    nrf = record("rap-nrf-enhancement")
    assert "up to 40,000" in nrf.notes and "up to around 30,000 troops." not in nrf.notes
    assert "2015-06-24" in nrf.notes


def test_mnc_northeast_was_not_established_under_the_rap() -> None:
    """HQ MNC NE: established in Szczecin on 18 September 1999; the Wales Summit raised its readiness."""
    corps = record("rap-hq-mnc-ne")
    assert "18 September 1999" in corps.notes and "established/raised" not in corps.notes
    assert corps.start_date == date(2014, 9, 5)


def test_trident_juncture_2018_final_figures() -> None:
    """NATO's fact box: about 50,000 participants, 250 aircraft, 65 vessels, 10,000 vehicles."""
    notes = record("trident-juncture-2018").notes
    assert "about 250 aircraft, 65 vessels" in notes and "~150 aircraft" not in notes


def test_italy_leads_the_bulgaria_battlegroup_only_from_17_october_2022() -> None:
    """JFC Naples and Decode39: constituted 1 March 2022 under Bulgaria; Italy framework nation from 17 Oct 2022."""
    battlegroup = record("efp-battlegroup-bgr")
    assert battlegroup.start_date == date(2022, 3, 1)
    assert battlegroup.notes.startswith("Framework nation ITA since 2022-10-17")


def test_a_month_precision_end_covers_the_whole_month() -> None:
    defender = record("defender-europe-2021")
    assert defender.date_precision == "month"
    assert covered(defender) == (date(2021, 3, 1), date(2021, 6, 30))


def test_icalendar_gives_defender_europe_21_its_whole_last_month() -> None:
    """Exported before as DTEND 2021-06-02: a month short."""
    client = Client()
    client.force_login(make_user("NLD", "SECRET", username="facts.ical"))
    feed = Calendar.from_ical(
        client.get("/api/engagements/exercises/export/", {"q": "DEFENDER-Europe 21", "export_format": "ics"}).content
    )
    event = next(e for e in feed.walk("VEVENT") if str(e["UID"]) == "defender-europe-2021@comity")
    start = event.decoded("DTSTART")
    assert start == date(2021, 3, 1)
    assert start + event.decoded("DURATION") - timedelta(days=1) == date(2021, 6, 30)


def _deadlines() -> dict[str, object]:
    from comity.engagements.selectors import vienna_deadlines

    reader = make_user("NLD", "SECRET", username="facts.vienna")
    return {exercise.key: verdict for exercise, verdict in vienna_deadlines(reader)}


def test_air_and_naval_exercises_are_outside_chapter_v() -> None:
    """Chapter V concerns land forces: Air Defender 23 (air, 10,000) and BALTOPS 24 (naval) were flagged."""
    deadlines = _deadlines()
    assert "air-defender-2023" not in deadlines and "baltops-2024" not in deadlines
    assert "trident-juncture-2018" in deadlines and "defender-2024" in deadlines


def test_a_month_precision_start_gives_a_range_of_due_dates() -> None:
    """DEFENDER-Europe 21 started in March 2021 (day not published): due between 18 Jan and 17 Feb."""
    verdict = _deadlines()["defender-europe-2021"]
    assert (verdict.notification_due, verdict.due_until) == (date(2021, 1, 18), date(2021, 2, 17))
    client = Client()
    client.force_login(make_user("NLD", "SECRET", username="facts.vienna.page"))
    page = client.get(reverse("engagements:vienna")).content.decode()
    assert "between 2021-01-18 and 2021-02-17" in page and "Air Defender 23" not in page


@pytest.mark.parametrize(
    ("key", "start", "lead", "source"),
    [
        ("bap-40-siauliai", date(2016, 1, 7), "ESP", "NATO news_126427: 40th rotation handed over on 7 Jan 2016"),
        ("bap-40-amari", date(2016, 1, 7), "ESP", "NATO news_126427: Belgium at Ämari from 7 Jan 2016"),
        ("bap-41-siauliai", date(2016, 5, 4), "PRT", "AIRCOM: Portugal lead of the 41st rotation from 4 May 2016"),
        ("bap-65-siauliai", date(2024, 3, 28), "ESP", "AIRCOM via defence-industry.eu: Spain leads the 65th rotation"),
    ],
)
def test_air_policing_rotations_have_their_sourced_dates_and_lead(
    key: str, start: date, lead: str, source: str
) -> None:
    rotation = record(key)
    assert (rotation.start_date, rotation.lead_state.iso3 if rotation.lead_state else None) == (start, lead), source


def test_rotation_40_ends_when_41_begins() -> None:
    assert record("bap-40-siauliai").end_date == date(2016, 5, 4)
    assert covered(record("bap-41-siauliai"))[1] == date(2016, 8, 31)
