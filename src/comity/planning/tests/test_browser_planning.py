"""In real Chromium: load the real-data example into the editor, solve, highlight a nation's bars."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from comity.core.testing.browser import sign_in
from comity.core.testing.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(chromium: Any, transactional_db: None) -> Any:
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


def test_form_fill_solve_save_and_find_in_the_calendar(browser: Any, live_server: Any, tmp_path: Path) -> None:
    """Fill the input form (dates by picker, a row added and one removed by htmx), solve, save,
    and find the saved rotation in the month calendar. Screenshots go to ``COMITY_SHOTS`` when set."""
    shots = Path(os.environ.get("COMITY_SHOTS", tmp_path))
    make_user("NLD", "SECRET", username="browser-form-planner", roles=("editor",))
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, f"{live_server.url}/planning/rotations/", "browser-form-planner")
    page.click("#builder-section summary")
    for i, (start, end) in enumerate(
        [("2028-01-01", "2028-04-30"), ("2028-05-01", "2028-08-31"), ("2028-09-01", "2028-12-31")]
    ):
        page.fill(f"#id_periods-{i}-start", start)
        page.fill(f"#id_periods-{i}-end", end)
    page.evaluate("window.sameDocument = true")
    page.click("#add-offers")
    page.wait_for_selector("#id_offers-4-nation")
    page.click("#add-offers")
    page.wait_for_selector("#id_offers-5-nation")
    assert page.input_value("#id_periods-1-start") == "2028-05-01"  # the swap kept what was typed
    page.click("tr[data-row='offers-5'] button[name=action]")
    page.wait_for_selector("#id_offers-5-nation", state="detached")
    assert page.evaluate("window.sameDocument === true")  # htmx swapped the form, no page load
    page.fill("#id_offers-4-nation", "NLD")
    page.fill("#id_offers-4-periods", "2027-2")
    page.fill("#id_offers-4-bases", "AMARI")
    page.fill("#id_offers-4-aircraft", "4")
    page.click("#build-solve")
    page.wait_for_selector("#gantt")
    assert page.inner_text("#plan-status") == "OPTIMAL"
    assert '"2027-2": {' in page.input_value("#built-json").replace("\n", "").replace("  ", "")
    page.screenshot(path=str(shots / "planning-form-solved.png"), full_page=True)
    page.fill("#id_title_prefix", "Browser plan")
    page.click("#save-form button[type=submit]")
    page.wait_for_url("**/engagements/?*")
    assert "Saved" in page.inner_text("body")
    page.goto(f"{live_server.url}/engagements/calendar/?year=2028&month=5")
    assert "Browser plan:" in page.inner_text("body")
    page.screenshot(path=str(shots / "planning-saved-in-calendar.png"), full_page=True)
    assert errors == []
