"""Agreements, training, meetings, attachés and CBMs through the API and the record pages."""

from __future__ import annotations

import pytest
from django.test import Client

from comity.engagements.tests.helpers import KIND_EXAMPLES as EXAMPLES
from comity.engagements.tests.helpers import create, logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_nld() -> Client:
    return logged_in("NLD", "recorder")


@pytest.mark.parametrize("prefix", list(EXAMPLES))
def test_record_read_and_page(client_nld: Client, prefix: str) -> None:
    created = create(client_nld, prefix, f"test-{prefix}")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["label"]["marking"] == "NATO RESTRICTED REL TO NATO"
    host = {"iso3": "GEO", "name": "Georgia", "role": "host", "personnel": 3, "platforms": "", "name_as_of": "Georgia"}
    assert body["participants"] == [host]
    listed = client_nld.get(f"/api/engagements/{prefix}/", {"nation": "GEO"}).json()["results"]
    assert [r["key"] for r in listed] == [f"test-{prefix}"]
    assert client_nld.get(f"/api/engagements/{prefix}/test-{prefix}/").status_code == 200
    page = client_nld.get(f"/engagements/records/test-{prefix}/").content.decode()
    assert f"Test {prefix}" in page and "Georgia" in page
    assert create(client_nld, prefix, f"test-{prefix}").status_code == 400


def test_labels_guard_writes_and_reads(client_nld: Client) -> None:
    too_high = create(client_nld, "meetings", "too-high", label="COSMIC TOP SECRET")
    assert too_high.status_code == 400
    assert create(client_nld, "meetings", "deu-only", label="NATO RESTRICTED REL TO NLD").status_code == 201
    other = logged_in("DEU", "reader-deu")
    assert other.get("/api/engagements/meetings/deu-only/").status_code == 404
    assert other.get("/engagements/records/deu-only/").status_code == 404


def test_record_page_redirects_exercises_to_their_page(client_nld: Client) -> None:
    from comity.engagements.tests.helpers import make_exercise

    make_exercise("redirect-me")
    assert client_nld.get("/engagements/records/redirect-me/")["Location"] == "/engagements/exercises/redirect-me/"


def test_attache_network(client_nld: Client) -> None:
    assert create(client_nld, "attaches", "nld-geo-army").status_code == 201
    body = client_nld.get("/api/engagements/attache-network/", {"on": "2031-06-01"}).json()
    post = next(p for p in body["posts"] if p["key"] == "nld-geo-army")
    assert (post["sending"], post["host"], post["embassy"], post["resident"]) == ("NLD", "GEO", "TUR", False)
    assert post["from"][0] is not None and post["to"][0] is not None
    assert client_nld.get("/api/engagements/attache-network/", {"on": "2040-01-01"}).json()["posts"] == []
    assert client_nld.get("/api/engagements/attache-network/", {"on": "June"}).status_code == 400
    assert "attache_map.js" in client_nld.get("/engagements/attache-network/").content.decode()
