"""In real Chromium: sign in, open the alliance map, move the date slider, see the map change; the
world is drawn without antimeridian smears."""

from __future__ import annotations

from typing import Any

import pytest

from comity.core.testing.browser import sign_in
from comity.core.testing.factories import make_user
from comity.core.testing.pixels import longest_runs, map_box

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Leaflet's grey behind the shapes (``.leaflet-container``): the sea on the map.
SEA = (221, 221, 221)
#: The alliance map's first view (``alliance_map.js``: ``setView([48, 15], 3)``).
CENTRE, ZOOM = (48.0, 15.0), 3


@pytest.fixture
def page(chromium: Any, transactional_db: None) -> Any:
    return chromium.new_page(viewport={"width": 1280, "height": 900})


def test_sign_in_and_the_map_follows_the_date_slider(page: Any, live_server: Any) -> None:
    make_user("FIN", "RESTRICTED", username="mapuser")
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, f"{live_server.url}/registry/map/", "mapuser")
    summary = page.locator("#map-summary")
    page.wait_for_function(
        "() => document.getElementById('map-summary').textContent.includes('members')", timeout=15000
    )
    assert errors == []
    assert "32 members" in summary.text_content()

    page.fill("#map-date", "2023-01-01")
    page.dispatch_event("#map-date", "change")
    page.wait_for_function("() => document.getElementById('alliance-map').dataset.date === '2023-01-01'")
    assert "30 members" in summary.text_content()
    assert page.locator("path.iso-246.status-PFP").count() == 1  # Finland, a partner

    page.locator("#map-year").fill("2024")
    page.wait_for_function("() => document.getElementById('alliance-map').dataset.date === '2024-12-31'")
    assert "32 members" in summary.text_content()
    assert page.locator("path.iso-246.status-member").count() == 1  # Finland, an ally
    assert page.locator(".label-banner").first.text_content() == "PUBLIC"


def test_the_world_is_drawn_without_antimeridian_smears(page: Any, live_server: Any) -> None:
    """Russia and Fiji cross the 180th meridian; drawn flat, their rings ran edges and fill across
    the whole map. Open sea must stay sea: the Norwegian Sea and the Atlantic west of Ireland."""
    make_user("NLD", username="mapsea")
    sign_in(page, f"{live_server.url}/registry/map/", "mapsea")
    page.wait_for_function("() => document.getElementById('alliance-map').dataset.members", timeout=15000)
    element = page.locator("#alliance-map")
    width, height, left, top = element.evaluate("(e) => [e.clientWidth, e.clientHeight, e.clientLeft, e.clientTop]")
    size, border = (width, height), (left, top)
    png = element.screenshot()
    # Non-members are drawn faintly (fill #ccc at 0.15 over the grey), so compare closely.
    for south_west, north_east in (((65.0, -11.0), (66.6, 4.0)), ((48.0, -30.0), (50.0, -12.0))):
        sea = map_box(size, CENTRE, ZOOM, south_west, north_east, border)
        assert sea[2] > 50 and sea[3] > 5  # the box is on the map
        assert max(longest_runs(page, png, SEA, sea, tolerance=1)) <= 2, (south_west, north_east)
    # The positive control: Poland, an ally, is filled.
    land = map_box(size, CENTRE, ZOOM, (51.5, 17.0), (52.5, 21.0), border)
    assert min(longest_runs(page, png, SEA, land)) >= land[2] - 4
