"""In real Chromium: the engagement map draws every record the user may see that has a place (and
nothing hidden), says how many have none, and draws the world without antimeridian smears; the
attaché page says that no posts are shipped."""

from __future__ import annotations

from typing import Any

import pytest

from comity.core.testing.browser import sign_in
from comity.core.testing.factories import make_user
from comity.core.testing.pixels import longest_runs, map_box
from comity.engagements.models import Engagement
from comity.engagements.selectors import engagement_places
from comity.engagements.tests.helpers import make_exercise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Leaflet's grey behind the shapes (``.leaflet-container``): the sea on the maps.
SEA = (221, 221, 221)
#: The engagement map's first view (``engagement_map.js``: ``setView([55, 15], 4)``).
CENTRE, ZOOM = (55.0, 15.0), 4


@pytest.fixture
def page(chromium: Any, transactional_db: None) -> Any:
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.errors = []
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def test_the_map_draws_every_placed_record_the_user_may_see(page: Any, live_server: Any) -> None:
    make_exercise("map-secret", title="Map Secret Rotation", location="Siauliai", label="NATO SECRET REL TO DEU")
    user = make_user("NLD", "RESTRICTED", username="mapreader")
    placed, unplaced = engagement_places(user)
    sign_in(page, f"{live_server.url}/engagements/map/", "mapreader")
    page.wait_for_selector("#engagement-map[data-state=ready]", timeout=20000)
    assert page.errors == []

    markers = page.locator("#engagement-map .engagement-place")
    counts = [int(n) for n in markers.evaluate_all("(all) => all.map((m) => m.dataset.count)")]
    assert sum(counts) == len(placed) == int(page.locator("#engagement-map").get_attribute("data-records"))
    assert len(counts) == len({(p.latitude, p.longitude, p.precision) for _, p in placed})
    # The hidden rotation is not among the Šiauliai records, and nothing counts it.
    siauliai = Engagement.objects.visible_to(user).filter(location="Siauliai").count()
    assert page.locator(".engagement-place--base", has_text=str(siauliai)).count() == 1
    assert "Map Secret" not in page.content()
    summary = page.locator("#engagement-map-summary").text_content()
    assert f"{len(placed)} records you may see are on the map" in " ".join(summary.split())
    assert page.locator("#unplaced-count").text_content() == f"{len(unplaced)} records have no place"
    assert page.locator("#unplaced-list tbody tr").count() == len(unplaced)

    page.locator(".engagement-place--base", has_text=str(siauliai)).click()
    popup = page.locator(".leaflet-popup-content")
    assert popup.locator("li").count() == siauliai
    assert "Šiauliai Air Base" in popup.text_content()


def test_the_world_is_drawn_without_antimeridian_smears(page: Any, live_server: Any) -> None:
    """Russia's polygons cross the 180th meridian; drawn flat they used to smear a band of country
    fill across the top of this view (about 65-67 N). The open sea there must stay sea."""
    make_user("NLD", username="mapviewer")
    sign_in(page, f"{live_server.url}/engagements/map/", "mapviewer")
    page.wait_for_selector("#engagement-map[data-state=ready]", timeout=20000)
    element = page.locator("#engagement-map")
    width, height, left, top = element.evaluate("(e) => [e.clientWidth, e.clientHeight, e.clientLeft, e.clientTop]")
    size, border = (width, height), (left, top)
    png = element.screenshot()
    # The Norwegian Sea between Iceland and Norway: open sea on any map of the world.
    sea = map_box(size, CENTRE, ZOOM, (65.0, -11.0), (66.6, 8.0), border)
    assert sea[2] > 100 and sea[3] > 20  # the band is on the map
    assert max(longest_runs(page, png, SEA, sea)) <= 2
    # The positive control: Poland, inland, is country fill.
    land = map_box(size, CENTRE, ZOOM, (51.5, 17.0), (52.5, 21.0), border)
    assert min(longest_runs(page, png, SEA, land)) >= land[2] - 4


def test_the_attache_page_says_no_posts_are_shipped(page: Any, live_server: Any) -> None:
    make_user("NLD", username="attachereader")
    sign_in(page, f"{live_server.url}/engagements/attache-network/", "attachereader")
    page.wait_for_function("() => document.getElementById('attache-map').dataset.posts !== undefined", timeout=20000)
    assert page.errors == []
    assert page.locator("#attache-map").get_attribute("data-posts") == "0"
    assert page.locator("#attache-summary").text_content().startswith("No attaché post you may see is in force on ")
    assert "comity engagements import posts.csv --kind attache" in page.locator("#attache-none-shipped").text_content()
