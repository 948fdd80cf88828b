"""In real Chromium: the tension map draws the world without antimeridian smears (Russia and
Fiji cross the 180th meridian), and ranks states only, listing region codes apart."""

from __future__ import annotations

from typing import Any

import pytest

from comity.core.testing.browser import sign_in
from comity.core.testing.factories import make_user
from comity.core.testing.pixels import longest_runs, map_box

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Leaflet's grey behind the shapes: the sea.
SEA = (221, 221, 221)
#: The tension map's view (``events_tension.js``: ``setView([40, 20], 2)``).
CENTRE, ZOOM = (40.0, 20.0), 2


@pytest.fixture
def page(chromium: Any, transactional_db: None, web_store: dict[str, Any]) -> Any:
    return chromium.new_page(viewport={"width": 1280, "height": 900})


def test_the_tension_map_has_no_antimeridian_smear_and_ranks_states_only(page: Any, live_server: Any) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    make_user("NLD", username="tensionreader")
    sign_in(page, f"{live_server.url}/events/tension/?period=2012-01", "tensionreader")
    page.wait_for_selector("#tension-map[data-state=ready]", timeout=20000)
    assert errors == []
    element = page.locator("#tension-map")
    width, height, left, top = element.evaluate("(e) => [e.clientWidth, e.clientHeight, e.clientLeft, e.clientTop]")
    size, border = (width, height), (left, top)
    png = element.screenshot()
    # Drawn flat, Russia smeared bands over the Norwegian Sea and Fiji a line over the South Atlantic.
    for south_west, north_east in (((65.5, -10.0), (68.5, 6.0)), ((-19.0, -30.0), (-14.5, 0.0))):
        sea = map_box(size, CENTRE, ZOOM, south_west, north_east, border)
        assert max(longest_runs(page, png, SEA, sea)) <= 2, (south_west, north_east)
    # The positive control: inland Russia (many events in the sample) is coloured.
    land = map_box(size, CENTRE, ZOOM, (58.0, 60.0), (60.0, 90.0), border)
    assert min(longest_runs(page, png, SEA, land)) >= land[2] - 4

    ranked = page.locator("#tension-top").text_content()
    regions = page.locator("#tension-regions").text_content()
    assert "(AFR)" not in ranked and "(EUR)" not in ranked and "United States (USA)" in ranked
    assert "AFR:" in regions and "EUR:" in regions
    assert int(element.get_attribute("data-regions")) == page.locator("#tension-regions li").count() >= 2
    assert page.locator("#tension-regions-box").is_visible()
