"""In real Chromium under the CSP: the burden chart draws one bar per Ally of the table, with the
2% line, and no script error."""

from __future__ import annotations

from typing import Any

import pytest

from comity.core.testing.browser import sign_in
from comity.core.testing.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chart_has_a_bar_per_ally_and_the_guideline(chromium: Any, live_server: Any) -> None:
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    make_user("NLD", username="burdenviewer")
    sign_in(page, f"{live_server.url}/assessment/burden/?year=2014", "burdenviewer")
    page.wait_for_selector("#burden-chart[data-state=ready]", timeout=20000)
    assert errors == []
    rows = page.locator("#burden-table tbody tr").count()
    assert rows == 27  # the 28 Allies of 2014 but Iceland
    # ECharts' SVG renderer draws each bar as a path; the axis labels carry the ISO codes.
    labels = page.locator("#burden-chart svg text").all_text_contents()
    assert {"USA", "GRC", "GBR", "2% guideline"} <= set(labels)
