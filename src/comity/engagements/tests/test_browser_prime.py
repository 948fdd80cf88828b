"""In real Chromium: a partner proposes, an approver approves and invites, the partner registers,
the activity runs through its lifecycle, and the feedback report closes it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Permission

from comity.core.testing.browser import CHROMIUM, CHROMIUM_ARGS, allow_sync_playwright
from comity.core.testing.factories import make_user
from comity.engagements.tests.factories import make_menu_item, make_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"


@pytest.fixture
def browser(live_server: Any, reference_data: None) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with allow_sync_playwright(), sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def sign_in(browser: Any, live_server: Any, username: str, path: str) -> Any:
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}{path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{path}")
    return page


def test_prime_workflow_and_lifecycle_end_to_end(browser: Any, live_server: Any) -> None:
    programme = make_programme("UKR", "2027", "NATO UNCLASSIFIED REL TO PFP, NATO")
    make_menu_item("staff-course", "Staff officer course")
    make_user("UKR", "UNCLASSIFIED", username="partner")
    boss = make_user("BEL", "SECRET", username="approver")
    boss.user_permissions.add(Permission.objects.get(codename="approve_programmeactivity"))

    partner = sign_in(browser, live_server, "partner", f"/engagements/programmes/{programme.pk}/")
    partner.fill("#activity-title", "Staff course for Ukrainian officers")
    partner.fill("#activity-start", "2027-03-01")
    partner.fill("#activity-end", "2027-03-05")
    partner.click("#propose-form button[type=submit]")
    partner.wait_for_selector("#workflow")
    assert partner.text_content("#workflow") == "Proposed"
    activity_path = partner.url.removeprefix(live_server.url)

    approver = sign_in(browser, live_server, "approver", activity_path)
    approver.click("#approve")
    approver.wait_for_selector("#invite-nations")
    assert approver.text_content("#status") == "Approved"
    approver.fill("#invite-nations", "UKR GEO")
    approver.click("#invite")
    approver.wait_for_function("document.getElementById('invited').textContent.includes('UKR')")

    partner.goto(f"{live_server.url}{activity_path}")
    partner.fill("#register-personnel", "3")
    partner.click("#register")
    partner.wait_for_function("document.getElementById('workflow').textContent === 'Participants registered'")

    approver.goto(f"{live_server.url}{activity_path}")
    approver.click("#to-ongoing")
    approver.wait_for_selector("#to-completed")
    approver.click("#to-completed")
    approver.wait_for_selector("#feedback")
    approver.fill("#feedback", "All three officers completed the course.")
    approver.click("#report")
    approver.wait_for_selector("#feedback-report")
    assert approver.text_content("#workflow") == "Feedback reported"
    assert approver.text_content("#status") == "Assessed"
    assert "Ukraine (Participant, 3 people)" in approver.content()
