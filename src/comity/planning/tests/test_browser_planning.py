"""In real Chromium: load the real-data example into the editor, solve, highlight a nation's bars."""

from __future__ import annotations

from typing import Any

import pytest

from comity.core.testing.browser import sign_in
from comity.core.testing.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(chromium: Any, reference_data: None) -> Any:
    return chromium


def test_editor_example_solve_and_highlight(browser: Any, live_server: Any) -> None:
    make_user("NLD", "SECRET", username="browser-planner")
    page = browser.new_context().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, f"{live_server.url}/planning/rotations/", "browser-planner")
    page.click("a[data-example='bap-2014-2019']")
    assert "2019-09 BEL" in page.input_value("#id_data")
    assert page.url.endswith("/planning/rotations/")  # filled by the script, no page load
    page.click("#plan-form button[type=submit]")
    page.wait_for_selector("#gantt")
    assert page.inner_text("#plan-status") == "OPTIMAL"
    assert page.locator("#checker-ok").count() == 1
    page.locator(".gantt-bar[data-nation='DEU']").first.click()
    highlighted = page.locator(".gantt-highlight")
    assert highlighted.count() == page.locator(".gantt-bar[data-nation='DEU']").count() == 5
    page.fill("#id_data", "{broken")
    page.click("#format-json")
    assert page.evaluate("document.querySelector('#id_data').validationMessage").startswith("Not valid JSON")
    assert errors == []
