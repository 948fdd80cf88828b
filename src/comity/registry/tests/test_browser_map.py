"""In real Chromium: sign in, open the alliance map, move the date slider, see the map change."""

from __future__ import annotations

from typing import Any

import pytest

from comity.core.testing.browser import sign_in
from comity.core.testing.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(chromium: Any, transactional_db: None) -> Any:
    return chromium.new_page()


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
