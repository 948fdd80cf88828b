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
from comity.engagements.lifecycle import last_day
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


# Baltic Air Policing rotations added for 2008-2013 and 2019-2024 (issue 12 item 8). Each case
# names the page its row cites; on the file shipped before, every one of these keys was absent
# (or, for rotation 64, had no start and no lead).
AIR_POLICING_ADDED = [
    # key, first day, last day covered, lead, source. A record has one precision: where either
    # date is a month, the record is month-precision and covers its end's whole month (2009 DNK
    # to 31 May although the CSV says 2009-05-01), as spans.covered states.
    ("bap-2009-dnk-siauliai", date(2009, 1, 1), date(2009, 5, 31), "DNK",
     "kariuomene.lt/.../1289: Czech Gripens replaced the Danish F-16s on 1 May 2009"),
    ("bap-20-siauliai", date(2009, 5, 1), date(2009, 8, 31), "CZE",
     "kariuomene.lt/.../1289 (20th rotation) and /1301 (Germany took over on 31 Aug 2009)"),
    ("bap-2009-deu-siauliai", date(2009, 8, 31), date(2010, 1, 31), "DEU",
     "kariuomene.lt/.../1491: France to take over 'in the beginning of January 2010'"),
    ("bap-2010-fra-siauliai", date(2010, 1, 1), date(2010, 4, 30), "FRA",
     "atlanticcouncil.org polish-migs-patrolling-baltic-states: Poland replaced France on 30 April 2010"),
    ("bap-2010-pol-siauliai", date(2010, 4, 30), date(2010, 8, 31), "POL",
     "flightglobal.com 95655: Orlik 3 started 30 April, MiG-29s home on 1 September 2010"),
    ("bap-2010-usa-siauliai", date(2010, 9, 1), date(2011, 1, 31), "USA",
     "flightglobal.com 95655: the 493rd EFS assumed the mission for four months; end = 2011 DEU start"),
    ("bap-2011-deu-siauliai", date(2011, 1, 1), date(2011, 4, 30), "DEU",
     "defencetalk.com 39286: a German shift from January to April 2011 with six F-4F"),
    ("bap-2012-deu-siauliai", date(2012, 1, 4), date(2012, 4, 26), "DEU",
     "defencetalk.com 39286 (4 January changeover) and infolotnicze.pl (26 April 2012 ceremony)"),
    ("bap-2012-pol-siauliai", date(2012, 4, 26), date(2012, 8, 31), "POL",
     "infolotnicze.pl 2012/04/27 and eesti.ca: Czechs on duty 'since late August' 2012"),
    ("bap-2012-cze-siauliai", date(2012, 8, 1), date(2013, 1, 31), "CZE",
     "army.cz 78626: handed over to Denmark on 4 January 2013"),
    ("bap-2020-04-esp-siauliai", date(2020, 4, 30), date(2020, 9, 1), "ESP",
     "ltlife.lt (30 April 2020 ceremony); ac.nato.int HOTO_Block56_LTU (Spain lead in 2020)"),
    ("bap-2020-09-ita-siauliai", date(2020, 9, 1), date(2021, 4, 29), "ITA",
     "ac.nato.int HOTO_Block56_LTU: eight months as lead nation since 1 September"),
    ("bap-2021-04-esp-siauliai", date(2021, 4, 29), date(2021, 8, 31), "ESP",
     "ac.nato.int HOTO_Block56_LTU; NATO AIRCOM 31 Aug 2021 (Denmark and Portugal leading)"),
    ("bap-2021-04-esp-amari", date(2021, 5, 3), date(2021, 5, 3), "ESP",
     "key.aero: Italian F-35As took over Amari on 3 May 2021"),
    ("bap-2021-08-dnk-siauliai", date(2021, 8, 31), date(2021, 12, 31), "DNK",
     "NATO AIRCOM 31 Aug 2021 via antibellum; end = the Polish lead from December 2021 (BNS)"),
    ("bap-2022-12-pol-siauliai", date(2022, 12, 1), date(2023, 3, 31), "POL",
     "ac.nato.int BAP_61_HOTO_LTU: Polish lead from 1 Dec 2022 'until the end of March 23'"),
    ("bap-2023-04-prt-siauliai", date(2023, 4, 1), date(2023, 8, 31), "PRT",
     "romania-insider.com (April 2023); thegaze.media (NATO: Italy took over on 3 August 2023)"),
    ("bap-2023-08-ita-siauliai", date(2023, 8, 3), date(2023, 11, 30), "ITA",
     "thegaze.media (NATO, Aug 2023); kam.lt and ac.nato.int Block64_HOTO (30 November 2023)"),
    ("bap-64-siauliai", date(2023, 11, 30), date(2024, 3, 28), "BEL",
     "ac.nato.int Block64_HOTO: Belgium leads the 64th rotation from 30 November 2023"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("key", "first", "last", "lead", "source"), AIR_POLICING_ADDED, ids=[c[0] for c in AIR_POLICING_ADDED]
)
def test_air_policing_rotations_added_from_public_releases(
    key: str, first: date, last: date, lead: str, source: str
) -> None:
    rotation = record(key)
    assert covered(rotation) == (first, last), source
    assert rotation.lead_state is not None and rotation.lead_state.iso3 == lead, source
    assert rotation.source.startswith("http"), key


def test_air_policing_augmenting_nations_of_added_rows() -> None:
    """Who augmented where (each row's source names them)."""
    expected = {
        "bap-2020-04-esp-siauliai": {"GBR"},  # ltlife.lt / RAF release 28 Apr 2020
        "bap-2020-09-ita-amari": {"DEU"},  # ERR 2021-05-01: German Eurofighters' double tour at Amari
        "bap-2021-04-esp-amari": {"ITA"},  # key.aero: Italian F-35As at Amari
        "bap-2022-12-pol-siauliai": {"FRA"},  # AIRCOM BAP_61: French Rafales augmenting
        "bap-2023-04-prt-siauliai": {"ROU"},  # Galax Daily (AIRCOM): Romania co-located augmenting
        "bap-2023-08-ita-amari": {"ESP"},  # NATO Aug 2023: Spanish Eurofighters took over Amari
        "bap-64-siauliai": {"FRA"},  # AIRCOM Block64: French Mirage 2000-5 augmenting
    }
    for key, nations in expected.items():
        roles = set(record(key).participants.filter(role="participant").values_list("state__iso3", flat=True))
        assert roles == nations, key


def test_both_leads_of_the_danish_portuguese_rotation_of_2021() -> None:
    """NATO AIRCOM, 31 Aug 2021: 'The Danish and Portuguese Air Forces are now leading'."""
    rotation = record("bap-2021-08-dnk-siauliai")
    leads = set(rotation.participants.filter(role="lead").values_list("state__iso3", flat=True))
    assert leads == {"DNK", "PRT"}


def test_ended_air_policing_rows_get_their_sourced_ends() -> None:
    """Rows whose end was open before: Belgium led at Siauliai until 30 April 2020 (ltlife.lt, AIRCOM
    28 Mar 2020); the Italian detachment of July 2024 was relieved on 28 November 2024 (LRT)."""
    assert record("bap-2019-09-bel-siauliai").end_date == date(2020, 4, 30)
    assert record("bap-2024-07-ita-siauliai").end_date == date(2024, 11, 28)
    assert record("bap-2008-usa-siauliai").start_date == date(2008, 10, 1)  # Air Force Magazine


#: The months from April 2004 to December 2024 in which no loaded Siauliai rotation is on duty.
#: Each is in SOURCES.md's known gaps: the rotations were found (or are known from LT MoD's counts)
#: but no page found dates them, so the file leaves the hole rather than guess.
SIAULIAI_UNDATED_MONTHS = [
    "2005-04", "2005-05",  # the first Dutch rotation: start not found
    "2006-01", "2006-02", "2006-03",  # the Polish 2005/06 rotation: start not found
    # 2006 TUR end, Spain 2006 and Belgium 2006/07 (LT Armed Forces list them), 2007 FRA start
    "2006-05", "2006-06", "2006-07", "2006-08", "2006-09", "2006-10", "2006-11", "2006-12",
    "2007-01", "2007-02", "2007-03", "2007-04", "2007-05", "2007-06",
    # 2007 ROU end, Portugal 2007 and Norway 2007/08, 2008 POL start (March 2008)
    "2007-08", "2007-09", "2007-10", "2007-11", "2007-12", "2008-01", "2008-02",
    # 2013 DNK end and 2013 FRA start (Mirage F-1CR rotation, date not printed)
    "2013-02", "2013-03", "2013-04", "2013-05", "2013-06", "2013-07", "2013-08",
    "2024-12",  # the rotation of 28 November 2024 has no published end in the sources found
]  # fmt: skip


def test_siauliai_coverage_has_exactly_the_documented_gaps() -> None:
    spans = [
        span
        for engagement in Engagement.objects.filter(key__startswith="bap-", location="Siauliai")
        if (span := covered(engagement)) is not None
    ]
    uncovered = []
    for year in range(2004, 2025):
        for month in range(1, 13):
            first = date(year, month, 1)
            if first < date(2004, 4, 1):
                continue
            end = last_day(first, "month")
            if not any(start <= end and last >= first for start, last in spans):
                uncovered.append(f"{year}-{month:02d}")
    assert uncovered == SIAULIAI_UNDATED_MONTHS
