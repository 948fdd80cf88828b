"""Registry and core pages: they render real data, respect labels and show the banner."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from comity.core.labels import label_from_marking
from comity.core.testing.factories import make_user
from comity.registry.models import CountryNote, State
from comity.registry.services import country_note_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst_client() -> Client:
    client = Client()
    client.force_login(make_user("NLD", "SECRET", username="analyst", roles=("editor",)))
    return client


def test_home_and_my_access(analyst_client: Client) -> None:
    assert analyst_client.get(reverse("home")).status_code == 200
    page = analyst_client.get(reverse("my-access")).content.decode()
    assert "NATO SECRET" in page and "NATO" in page and "EU" in page


def test_state_list_search_and_htmx_partial(analyst_client: Client) -> None:
    page = analyst_client.get(reverse("registry:state-list"), {"q": "fin"}).content.decode()
    assert "Finland" in page and "<html" in page
    partial = analyst_client.get(reverse("registry:state-list"), {"q": "FIN"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Finland" in partial and "<html" not in partial


def test_country_profile_timeline(analyst_client: Client) -> None:
    page = analyst_client.get(reverse("registry:state-detail", args=["fin"])).content.decode()
    assert "2023-04-04" in page and "Partnership for Peace" in page and "Joined the alliance" in page
    assert analyst_client.get(reverse("registry:state-detail", args=["XXX"])).status_code == 404


def test_alliance_on_a_date(analyst_client: Client) -> None:
    page = analyst_client.get(reverse("registry:alliance"), {"on": "2023-04-03", "organisation": "NATO"})
    assert len(page.context["members"]) == 30
    assert '<span class="count" id="member-count">30</span>' in page.content.decode()


def test_map_page_points_at_vendored_assets(analyst_client: Client) -> None:
    page = analyst_client.get(reverse("registry:map")).content.decode()
    assert "vendor/leaflet/leaflet.js" in page and "countries-110m.json" in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)


def test_banner_shows_the_highest_label_top_and_bottom(analyst_client: Client) -> None:
    author = make_user("NLD", "SECRET", roles=("editor",))
    state = State.objects.get(iso3="EST")
    for marking in ("PUBLIC", "NATO RESTRICTED REL TO NATO", "NATO SECRET REL TO NLD, FIN"):
        country_note_create(acting_user=author, state=state, title=marking, body="b", label=label_from_marking(marking))
    page = analyst_client.get(reverse("registry:state-detail", args=["EST"])).content.decode()
    banners = [line for line in page.splitlines() if 'class="label-banner' in line]
    assert len(banners) == 2
    assert all("NATO SECRET REL TO FIN, NLD" in b for b in banners)
    plain = analyst_client.get(reverse("registry:state-list")).content.decode()
    assert plain.count("label-banner--public") == 2


def test_note_form_creates_a_labelled_note(analyst_client: Client) -> None:
    form = analyst_client.get(reverse("registry:note-create"), {"state": "EST"})
    assert form.status_code == 200
    bad = analyst_client.post(
        reverse("registry:note-create"), {"state": "EST", "title": "t", "body": "b", "marking": "NATO ULTRA"}
    )
    assert "unknown classification marking" in bad.content.decode()
    good = analyst_client.post(
        reverse("registry:note-create"),
        {"state": "EST", "title": "Form note", "body": "b", "marking": "NATO RESTRICTED REL TO NATO"},
    )
    note = CountryNote.objects.get(title="Form note")
    assert good["Location"] == reverse("registry:note-detail", args=[note.pk])
    assert note.label.marking == "NATO RESTRICTED REL TO NATO"


def test_audit_log_page(analyst_client: Client) -> None:
    assert "Change log" in analyst_client.get(reverse("audit-log")).content.decode()


def test_note_form_refuses_a_label_above_the_authors_clearance(analyst_client: Client) -> None:
    data = {"state": "EST", "title": "Too high", "body": "b", "source": "", "marking": "COSMIC TOP SECRET"}
    page = analyst_client.post(reverse("registry:note-create"), data)
    assert page.status_code == 200 and "above what you may see" in page.content.decode()
    assert not CountryNote.objects.filter(title="Too high").exists()
    data["marking"] = "NATO SECRET REL TO NLD"
    assert analyst_client.post(reverse("registry:note-create"), data).status_code == 302
    assert CountryNote.objects.filter(title="Too high").exists()
