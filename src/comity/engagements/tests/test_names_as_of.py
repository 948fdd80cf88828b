"""States named as they were called on a record's date, in every page, API answer and export.

The shipped records span renamings the registry knows (``data/registry/state_names.csv``): Saber
Strike 18 (June 2018) had "the former Yugoslav Republic of Macedonia" among its participants,
DEFENDER 24 North Macedonia; Dynamic Manta 2022 (February) had Turkey, Dynamic Manta 2023
Türkiye; Noble Jump 2015 the Czech Republic; the first Turkish Baltic Air Policing rotation
(April 2006) was led by Turkey. No shipped record names Eswatini, so an attaché post in
Swaziland is recorded here. Each assertion fails on code that names states by today's name.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest
from django.test import Client
from icalendar import Calendar

from comity.engagements.importing import parse_text
from comity.engagements.tests.helpers import create, logged_in
from comity.registry.models import State
from comity.registry.selectors import name_book

pytestmark = pytest.mark.django_db

FYROM = "the former Yugoslav Republic of Macedonia"
#: The first Turkish Baltic Air Policing rotation (``baltic_air_policing.csv``, month precision).
BAP_TURKEY = "bap-2006-tur-siauliai"


@pytest.fixture
def client_nld() -> Client:
    return logged_in("NLD", "reader-as-of", roles=())


def _participant(body: dict[str, object], iso3: str) -> dict[str, object]:
    return next(p for p in body["participants"] if p["iso3"] == iso3)  # type: ignore[attr-defined, index]


def test_the_name_book_answers_each_date_from_one_look_up(django_assert_num_queries: object) -> None:
    mkd, tur = State.objects.get(iso3="MKD"), State.objects.get(iso3="TUR")
    with django_assert_num_queries(1):  # type: ignore[operator]
        book = name_book([mkd, tur])
    assert book.on(mkd, date(2019, 2, 11)).name == FYROM
    assert book.on(mkd, date(2019, 2, 12)).name == "North Macedonia"  # the Prespa Agreement in force
    assert book.on(tur, date(2022, 5, 31)).name == "Turkey"
    assert book.on(tur, date(2022, 6, 1)).name == "Türkiye"
    assert book.on(mkd, None).name == "North Macedonia"  # an undated record: today's name


def test_the_api_adds_the_name_on_the_date_and_keeps_todays(client_nld: Client) -> None:
    old = client_nld.get("/api/engagements/exercises/saber-strike-2018/").json()
    assert _participant(old, "MKD") == {
        "iso3": "MKD",
        "name": "North Macedonia",  # the existing key keeps today's name
        "role": "participant",
        "personnel": None,
        "platforms": "",
        "name_as_of": FYROM,
    }
    assert _participant(old, "CZE")["name_as_of"] == "Czechia"
    assert old["lead"] == "USA" and old["lead_name_as_of"] == "United States"
    new = client_nld.get("/api/engagements/exercises/defender-2024/").json()
    assert _participant(new, "MKD")["name_as_of"] == "North Macedonia"
    listed = client_nld.get("/api/engagements/exercises/", {"q": "dynamic-manta-202", "limit": 50}).json()["results"]
    turkey = {r["key"]: _participant(r, "TUR")["name_as_of"] for r in listed}
    assert turkey["dynamic-manta-2022"] == "Turkey" and turkey["dynamic-manta-2023"] == "Türkiye"


def test_every_engagement_answers_its_lead_by_the_name_on_its_date(client_nld: Client) -> None:
    posture = client_nld.get(f"/api/engagements/engagements/{BAP_TURKEY}/").json()
    assert (posture["lead"], posture["lead_name_as_of"]) == ("TUR", "Turkey")
    listed = client_nld.get("/api/engagements/engagements/", {"q": "trident-juncture-2018"}).json()["results"]
    assert [(r["lead"], r["lead_name_as_of"]) for r in listed] == [("NATO", "North Atlantic Treaty Organization")]


def test_pages_name_participants_and_leads_as_on_the_date(client_nld: Client) -> None:
    detail = client_nld.get("/engagements/exercises/saber-strike-2018/").content.decode()
    assert f'/engagements/country/MKD/">{FYROM}</a>' in detail
    assert '/engagements/country/MKD/">North Macedonia</a>' not in detail
    assert '<dd id="lead">United States (USA)</dd>' in detail
    assert (
        '/engagements/country/CZE/">Czech Republic</a>'
        in client_nld.get("/engagements/exercises/noble-jump-2015/").content.decode()
    )
    record = client_nld.get(f"/engagements/records/{BAP_TURKEY}/").content.decode()
    assert '<dd id="lead">Turkey (TUR)</dd>' in record
    assert '/engagements/country/TUR/">Turkey</a>' in record
    listing = client_nld.get("/engagements/", {"q": BAP_TURKEY}).content.decode()
    assert '<td title="TUR">Turkey</td>' in listing


def test_the_timeline_and_the_calendar_name_the_lead_as_on_the_date(client_nld: Client) -> None:
    timeline = client_nld.get("/engagements/timeline/", {"from": 2006, "to": 2006, "q": BAP_TURKEY}).content.decode()
    assert "led by Turkey" in timeline and "Türkiye" not in timeline
    month = client_nld.get("/engagements/calendar/", {"year": 2006, "month": 4, "q": BAP_TURKEY}).content.decode()
    assert "led by Turkey" in month and "Türkiye" not in month
    year = client_nld.get("/engagements/calendar/", {"view": "year", "year": 2006, "q": BAP_TURKEY}).content.decode()
    assert "led by Turkey" in year


def test_a_countrys_page_says_what_it_was_called_on_each_record(client_nld: Client) -> None:
    page = client_nld.get("/engagements/country/MKD/").content.decode()
    named = dict(re.findall(r'/engagements/records/([a-z0-9-]+)/">.*?<td>[0-9-]*</td><td>([^<]*)</td>', page))
    assert named["saber-strike-2018"] == FYROM
    assert named["defender-2024"] == "North Macedonia"


def test_exports_add_the_names_after_the_import_columns(client_nld: Client) -> None:
    url = "/api/engagements/exercises/export/"
    text = client_nld.get(url, {"export_format": "csv", "q": "saber-strike-2018"}).content.decode()
    (row,) = csv.DictReader(io.StringIO(text))
    assert "MKD" in row["participants"].split(";")  # the import columns are as they were
    codes, names = row["participants"].split(";"), row["participant_names_as_of"].split(";")
    assert dict(zip(codes, names, strict=True))["MKD"] == FYROM
    assert (row["lead"], row["lead_name_as_of"]) == ("USA", "United States")
    (as_json,) = json.loads(client_nld.get(url, {"export_format": "json", "q": "saber-strike-2018"}).content)
    assert FYROM in as_json["participant_names_as_of"].split(";")
    ics = client_nld.get(url, {"export_format": "ics", "q": "dynamic-manta-2022"}).content
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert "Turkey" in str(event["description"]) and "Türkiye" not in str(event["description"])


def test_an_import_reads_past_the_name_columns() -> None:
    """A file exported with the names imports back; the names in it are not taken from the file."""
    text = "key,title,start_date,participants,participant_names_as_of\nnames-in,Names in,2017-01-01,SWZ,Eswatini\n"
    parsed = parse_text(text, ".csv", date(2026, 1, 1))
    assert not parsed.rejects and [row.participants for row in parsed.rows] == [("SWZ",)]


def test_an_attache_post_names_its_states_as_on_its_start() -> None:
    editor = logged_in("NLD", "recorder-as-of")
    body = {
        "start_date": "2017-09-01",
        "end_date": "2020-08-31",
        "participant_input": [{"iso3": "SWZ", "role": "host"}],
        "host_state": "SWZ",
        "resident": True,
        "embassy_state": None,
    }
    created = create(editor, "attaches", "attache-swaziland", **body)
    assert created.status_code == 201, created.content
    answer = created.json()
    assert (answer["host_state"], answer["host_state_name_as_of"]) == ("SWZ", "Swaziland")
    assert (answer["sending_state_name_as_of"], answer["embassy_state_name_as_of"]) == ("Netherlands", None)
    assert _participant(answer, "SWZ")["name_as_of"] == "Swaziland"
    page = editor.get("/engagements/records/attache-swaziland/").content.decode()
    assert "Swaziland (SWZ)" in page and "Eswatini" not in page
    text = editor.get("/api/engagements/attaches/export/", {"export_format": "csv", "q": "attache-swaziland"})
    (row,) = csv.DictReader(io.StringIO(text.content.decode()))
    assert (row["host_state"], row["host_state_name_as_of"]) == ("SWZ", "Swaziland")
    assert row["host_names_as_of"] == "Swaziland"
