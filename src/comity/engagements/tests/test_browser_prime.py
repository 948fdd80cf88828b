"""In real Chromium: a partner proposes, an approver approves and invites, the partner registers,
the activity runs through its lifecycle, and the feedback report closes it. The activity lies in the
past so that the calendar allows it to be ongoing and completed."""

from __future__ import annotations

from typing import Any

import pytest

from comity.core.testing.browser import sign_in
from comity.core.testing.factories import make_user
from comity.engagements.tests.factories import make_menu_item, make_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(chromium: Any, transactional_db: None) -> Any:
    return chromium


def signed_in(browser: Any, live_server: Any, username: str, path: str) -> Any:
    return sign_in(browser.new_context().new_page(), f"{live_server.url}{path}", username)


def test_prime_workflow_and_lifecycle_end_to_end(browser: Any, live_server: Any) -> None:
    programme = make_programme("UKR", "2027", "NATO UNCLASSIFIED REL TO PFP, NATO")
    make_menu_item("staff-course", "Staff officer course")
    make_user("UKR", "UNCLASSIFIED", username="partner", roles=("editor",))
    make_user("BEL", "SECRET", username="approver", roles=("programme_manager:NATO", "editor:NATO"))

    partner = signed_in(browser, live_server, "partner", f"/engagements/programmes/{programme.pk}/")
    partner.fill("#activity-title", "Staff course for Ukrainian officers")
    partner.fill("#activity-start", "2025-03-01")
    partner.fill("#activity-end", "2025-03-05")
    partner.click("#propose-form button[type=submit]")
    partner.wait_for_selector("#workflow")
    assert partner.text_content("#workflow") == "Proposed"
    activity_path = partner.url.removeprefix(live_server.url)

    approver = signed_in(browser, live_server, "approver", activity_path)
    approver.click("#approve")
    approver.wait_for_selector("#invite-nations")
    assert approver.text_content("#status") == "Approved"
    approver.fill("#invite-nations", "UKR GEO")
    approver.click("#invite")
    approver.wait_for_function("() => document.getElementById('invited').textContent.includes('UKR')")

    partner.goto(f"{live_server.url}{activity_path}")
    partner.fill("#register-personnel", "3")
    partner.click("#register")
    partner.wait_for_function("() => document.getElementById('workflow').textContent === 'Participants registered'")

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
