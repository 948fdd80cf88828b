"""Placing engagements on the map: the sourced bases, the rules, and the selector that applies
them to what a user may see (hidden records neither drawn nor counted)."""

from __future__ import annotations

import csv
import json
import re

import pytest
from django.test import Client

from comity.core.testing.factories import make_user
from comity.engagements.loading import ENGAGEMENTS_DIR
from comity.engagements.models import Engagement
from comity.engagements.places import BASE, CAPITAL, RECORDED, parse_published, place_of, read_bases, shipped_bases
from comity.engagements.selectors import engagement_places
from comity.engagements.tests.helpers import make_exercise

CAPITALS = {"estonia": ("Estonia", 59.43, 24.73), "atlantis": ("Atlantis", None, None)}


def test_every_base_of_the_air_policing_file_has_sourced_coordinates() -> None:
    bases = read_bases()
    with (ENGAGEMENTS_DIR / "baltic_air_policing.csv").open(encoding="utf-8", newline="") as handle:
        named = {row["base"].strip().lower() for row in csv.DictReader(handle)}
    assert named <= set(bases)
    sources = (ENGAGEMENTS_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for base in bases.values():
        assert re.search(r"https?://\S+", base.source), base.key  # each row names the page it is from
        assert base.published in sources, base.key  # and SOURCES.md quotes the published pair
        latitude, longitude = parse_published(base.published)
        assert (round(latitude, 4), round(longitude, 4)) == (base.latitude, base.longitude), base.key


def test_published_coordinates_in_both_forms() -> None:
    assert parse_published("555338N 0232342E") == pytest.approx((55.893889, 23.395), abs=1e-6)
    infobox = "54\u00b001\u203236\u2033N 19\u00b008\u203211\u2033E"  # as Wikipedia writes it
    assert parse_published(infobox) == pytest.approx((54.026667, 19.136389), abs=1e-6)
    assert parse_published("334500S 0703000W") == pytest.approx((-33.75, -70.5))
    with pytest.raises(ValueError, match="not a published coordinate pair"):
        parse_published("near Tallinn")


def test_the_first_rule_that_applies_places_a_record() -> None:
    own = place_of(latitude=58.0, longitude=26.0, location="Siauliai", capitals=CAPITALS)
    assert own is not None and (own.latitude, own.longitude, own.precision) == (58.0, 26.0, RECORDED)
    base = place_of(latitude=None, longitude=None, location=" siauliai ", capitals=CAPITALS)
    assert base is not None and base.precision == BASE
    assert (base.latitude, base.longitude) == (shipped_bases()["siauliai"].latitude, 23.3950)
    capital = place_of(latitude=None, longitude=None, location="Estonia", capitals=CAPITALS)
    assert capital is not None and (capital.latitude, capital.precision) == (59.43, CAPITAL)
    assert "capital of Estonia" in capital.basis
    for location in ("Baltic Sea", "Poland, Lithuania, Latvia and Estonia", "", "Atlantis"):
        assert place_of(latitude=None, longitude=None, location=location, capitals=CAPITALS) is None
    # One coordinate alone is not a place.
    assert place_of(latitude=58.0, longitude=None, location="", capitals=CAPITALS) is None


@pytest.mark.django_db
def test_the_shipped_records_are_placed_by_base_and_capital() -> None:
    placed, unplaced = engagement_places(make_user("NLD", "SECRET"))
    by_key = {engagement.key: place for engagement, place in placed}
    shipped = Engagement.objects.count()
    assert len(placed) + len(unplaced) == shipped
    air_policing = list(Engagement.objects.filter(key__startswith="bap-").values_list("key", flat=True))
    assert air_policing and all(by_key[key].precision == BASE for key in air_policing)
    assert by_key["efp-battlegroup-est"].precision == CAPITAL
    measures = set(Engagement.objects.filter(key__startswith="rap-").values_list("key", flat=True))
    assert measures and measures <= {e.key for e in unplaced}  # the RAP measures name no place
    assert all(not e.key.startswith(("bap-", "efp-")) for e in unplaced)
    assert (
        len([p for p in by_key.values() if p.precision == RECORDED])
        == Engagement.objects.filter(latitude__isnull=False, longitude__isnull=False).count()
    )


@pytest.mark.django_db
def test_hidden_records_are_neither_drawn_nor_counted() -> None:
    make_exercise("map-hidden-placed", title="Map Hidden Placed", location="Siauliai", label="NATO SECRET REL TO DEU")
    make_exercise(
        "map-hidden-unplaced", title="Map Hidden Unplaced", location="Baltic Sea", label="NATO SECRET REL TO DEU"
    )
    make_exercise("map-visible-unplaced", title="Map Visible Unplaced", location="Baltic Sea")
    reader, cleared = make_user("NLD", "SECRET"), make_user("DEU", "SECRET")
    placed, unplaced = engagement_places(reader)
    keys = {e.key for e, _ in placed} | {e.key for e in unplaced}
    assert "map-visible-unplaced" in keys and not keys & {"map-hidden-placed", "map-hidden-unplaced"}
    placed_cleared, unplaced_cleared = engagement_places(cleared)
    assert len(placed_cleared) == len(placed) + 1 and len(unplaced_cleared) == len(unplaced) + 1

    client = Client()
    client.force_login(reader)
    page = client.get("/engagements/map/").content.decode()
    assert "Map Hidden" not in page and "map-hidden" not in page
    points = json.loads(
        re.search(r'<script id="engagement-points" type="application/json">(.*?)</script>', page, re.S)[1]
    )
    assert len(points) == len(placed)
    assert f'<a href="#unplaced" id="unplaced-count">{len(unplaced)} records have no place</a>' in page
    assert "Map Visible Unplaced" in page
    client.force_login(cleared)
    page = client.get("/engagements/map/").content.decode()
    assert "Map Hidden Placed" in page and f"{len(unplaced_cleared)} records have no place" in page


@pytest.mark.django_db
def test_the_year_filters_the_map_and_a_bad_year_is_a_400() -> None:
    client = Client()
    client.force_login(make_user("NLD"))
    placed, unplaced = engagement_places(make_user("NLD"), year=2016)
    page = client.get("/engagements/map/", {"year": "2016"}).content.decode()
    assert f"{len(placed)} records you may see running in 2016" in page
    assert all(e.start_date is None or e.start_date.year <= 2016 for e in unplaced)
    for bad in ("20x6", "99999"):
        response = client.get("/engagements/map/", {"year": bad})
        assert response.status_code == 400 and "year:" in response.content.decode()
