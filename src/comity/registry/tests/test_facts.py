"""Documented registry facts, checked against the loaded shipped data.

Each case names its public source (the same one the data file cites, see
``src/comity/data/SOURCES.md``). Each would fail on the value shipped before the correction:
the Istanbul Cooperation Initiative all from its launch day, the partners across the globe
undated (so present in 1990), Afghanistan a current partner, the 1955 member called Germany with
COW code 255, and today's names given for every date.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from comity.core.testing.factories import make_user
from comity.registry.models import State
from comity.registry.selectors import designations_on, participations_on, states_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst_client() -> Client:
    client = Client()
    client.force_login(make_user("NLD", "SECRET", username="facts.analyst", roles=("viewer",)))
    return client


# (framework, iso3, first day a participant, source)
PARTNER_STARTS = [
    ("ICI", "KWT", date(2004, 12, 1), "Gulf News, Kuwait Times: December 2004 (month precision)"),
    ("ICI", "BHR", date(2005, 2, 1), "Gulf News: February 2005 (month precision)"),
    ("ICI", "QAT", date(2005, 2, 1), "Gulf News: February 2005 (month precision)"),
    ("ICI", "ARE", date(2005, 6, 22), "nato.int news_21437: formally joined 22 June 2005"),
    ("PATG", "AUS", date(2012, 6, 14), "nato.int news_98689: Joint Political Declaration, 14 June 2012"),
    ("PATG", "NZL", date(2012, 6, 4), "nato.int news_88122: IPCP signed 4 June 2012"),
    ("PATG", "MNG", date(2012, 3, 19), "NATO release: IPCP approved 19 March 2012"),
    ("PATG", "JPN", date(2013, 4, 1), "nato.int news_109508: joint political declaration, April 2013"),
    ("PATG", "KOR", date(2012, 9, 1), "nato.int topics_50098: IPCP, September 2012"),
    ("PATG", "IRQ", date(2012, 9, 1), "nato.int topics_88247: IPCP, September 2012"),
    ("PATG", "COL", date(2017, 5, 1), "TRT World: partnership agreement, May 2017"),
    ("PATG", "PAK", date(2007, 5, 8), "nato.int docu/update/2007/05-may/e0508a: 8 May 2007"),
    ("PATG", "AFG", date(2006, 9, 6), "Enduring Partnership declaration, para 2: declaration of 6 September 2006"),
]


def partners(framework: str, day: date) -> set[str]:
    return {p.state.iso3 for p in participations_on(framework, day)}


@pytest.mark.parametrize(("framework", "iso3", "start", "source"), PARTNER_STARTS)
def test_each_partner_starts_on_its_own_date(framework: str, iso3: str, start: date, source: str) -> None:
    assert iso3 in partners(framework, start), source
    assert iso3 not in partners(framework, date.fromordinal(start.toordinal() - 1)), source


def test_no_ici_partner_in_the_week_after_the_istanbul_summit() -> None:
    """ICI launched 2004-06-28; its first member (Kuwait) joined in December 2004."""
    assert partners("ICI", date(2004, 7, 1)) == set()
    assert partners("ICI", date(2005, 7, 1)) == {"KWT", "BHR", "QAT", "ARE"}


def test_no_partner_across_the_globe_in_1990() -> None:
    assert partners("PATG", date(1990, 1, 1)) == set()


def test_afghanistan_is_no_longer_a_current_partner() -> None:
    """NATO suspended all support to the Afghan authorities on 20 August 2021."""
    assert "AFG" in partners("PATG", date(2021, 8, 19))
    assert "AFG" not in partners("PATG", date(2021, 8, 20))
    assert partners("PATG", date(2024, 10, 3)) == {"AUS", "COL", "IRQ", "JPN", "KOR", "MNG", "NZL", "PAK"}


def test_month_precision_is_kept_in_the_answer() -> None:
    rows = {r.iso3: r for r in states_on("NATO", date(2006, 1, 1)) if r.status == "ICI"}
    assert (rows["KWT"].joined_text, rows["KWT"].joined_precision) == ("2004-12", "month")
    assert rows["ARE"].joined_text == "2005-06-22"


def designation(iso3: str, day: date) -> tuple[str, int | None]:
    state = State.objects.get(iso3=iso3)
    found = designations_on([state], day)[state.pk]
    return found.name, found.cow_code


@pytest.mark.parametrize(
    ("iso3", "day", "name", "cow"),
    [
        # COW states2016: GFR 260 from 1955-05-05 to 1990-10-02; GMY 255 from 1990-10-03.
        ("DEU", date(1955, 5, 6), "Federal Republic of Germany", 260),
        ("DEU", date(1990, 10, 2), "Federal Republic of Germany", 260),
        ("DEU", date(1990, 10, 3), "Germany", 255),
        # Prespa Agreement in force 2019-02-12.
        ("MKD", date(1995, 11, 15), "the former Yugoslav Republic of Macedonia", 343),
        ("MKD", date(2019, 2, 12), "North Macedonia", 343),
        # King Mswati III's proclamation, 2018-04-19.
        ("SWZ", date(2018, 4, 18), "Swaziland", 572),
        ("SWZ", date(2018, 4, 19), "Eswatini", 572),
        # UN registration of Türkiye, 2022-06-01.
        ("TUR", date(1952, 2, 18), "Turkey", 640),
        ("TUR", date(2022, 6, 1), "Türkiye", 640),
        # Czech Government Resolution 403/2016 of 2 May 2016.
        ("CZE", date(1999, 3, 12), "Czech Republic", 316),
        ("CZE", date(2016, 5, 2), "Czechia", 316),
    ],
)
def test_names_in_force_on_a_date(iso3: str, day: date, name: str, cow: int) -> None:
    assert designation(iso3, day) == (name, cow)


def test_todays_names_are_the_current_ones() -> None:
    assert {s.iso3: s.name for s in State.objects.filter(iso3__in=["MKD", "SWZ", "TUR", "DEU"])} == {
        "MKD": "North Macedonia",
        "SWZ": "Eswatini",
        "TUR": "Türkiye",
        "DEU": "Germany",
    }


def test_the_german_democratic_republic_is_a_state_but_never_a_member() -> None:
    gdr = State.objects.get(cow_code=265)
    assert (gdr.iso3, gdr.name) == ("DDR", "German Democratic Republic")
    assert not gdr.memberships.exists() and not gdr.participations.exists()
    assert all(r.iso3 != "DDR" for r in states_on("NATO", date(1989, 1, 1)))


def test_the_1955_member_answers_as_the_federal_republic_everywhere(analyst_client: Client) -> None:
    """CLI, API and page answer "as of 1960" with the name and COW code in force then."""
    from io import StringIO

    out = StringIO()
    call_command("registry", "members", "NATO", "--on", "1960-01-01", "--format", "json", stdout=out)
    deu = next(r for r in json.loads(out.getvalue()) if r["iso3"] == "DEU")
    assert (deu["name"], deu["cow_code"]) == ("Federal Republic of Germany", 260)

    api = analyst_client.get("/api/registry/alliance/", {"on": "1960-01-01"}).json()
    deu = next(r for r in api["states"] if r["iso3"] == "DEU")
    assert (deu["name"], deu["cow_code"]) == ("Federal Republic of Germany", 260)

    page = analyst_client.get(reverse("registry:alliance"), {"on": "1960-01-01"}).content.decode()
    assert "Federal Republic of Germany" in page and ">Germany<" not in page
    later = analyst_client.get(reverse("registry:alliance"), {"on": "2000-01-01"}).content.decode()
    assert ">Germany<" in later


def test_cli_partners_give_the_month_not_an_invented_day() -> None:
    from io import StringIO

    out = StringIO()
    call_command("registry", "partners", "--framework", "ICI", "--on", "2004-07-01", "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == []
    out = StringIO()
    call_command("registry", "partners", "--framework", "ICI", "--on", "2006-01-01", "--format", "json", stdout=out)
    rows = {r["iso3"]: r for r in json.loads(out.getvalue())}
    assert rows["BHR"]["joined"] == "2005-02" and rows["BHR"]["joined_precision"] == "month"
