"""In real Chromium: an editor records an exercise through the form, corrects a mistake the form
points out, edits it, and moves it to planned from its page."""

from __future__ import annotations

from typing import Any

import pytest

from comity.core.testing.browser import sign_in
from comity.core.testing.factories import make_user
from comity.engagements.models import Exercise
from comity.engagements.tests.helpers import make_exercise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Where the screenshots of the form go, to look at by eye (the test does not read them).
SCREENSHOTS = "/tmp/comity-record-form"  # noqa: S108


def test_an_editor_creates_edits_and_plans_an_exercise(chromium: Any, live_server: Any, transactional_db: None) -> None:
    make_user("NLD", "RESTRICTED", username="officer", roles=("editor",))
    page = chromium.new_page(viewport={"width": 1280, "height": 1600})
    sign_in(page, f"{live_server.url}/engagements/", "officer")
    page.click("#new-exercise")
    page.wait_for_selector("#record-form")
    classifications = page.eval_on_selector_all("#id_label_0 option", "(options) => options.map((o) => o.value)")
    assert classifications == ["", "PUBLIC", "NATO UNCLASSIFIED", "NATO RESTRICTED"]

    page.fill("#id_key", "brilliant-jump-2031")
    page.fill("#id_title", "Brilliant Jump 2031")
    page.fill("#id_start_date", "2031-05-04")
    page.fill("#id_end_date", "2031-05-01")  # before the start: the form says so beside the field
    page.fill("#id_location", "Tapa")
    page.fill("#id_lead", "NLD")
    page.fill("#id_participants", "EST:host:400\nLVA:participant")
    page.check("input[name=objectives][value=deterrence]")
    page.fill("#id_series", "Brilliant Jump")
    page.select_option("#id_domain", "land")
    page.select_option("#id_label_0", "NATO RESTRICTED")
    page.check("input[name=label_groups][value=NATO]")
    page.screenshot(path=f"{SCREENSHOTS}-new.png", full_page=True)
    page.click("#save")
    page.wait_for_selector("#errors-end_date")
    assert "before it starts" in page.text_content("#errors-end_date")
    assert page.input_value("#id_title") == "Brilliant Jump 2031"  # what was typed is kept
    assert page.is_checked("input[name=label_groups][value=NATO]")
    page.screenshot(path=f"{SCREENSHOTS}-error.png", full_page=True)

    page.fill("#id_end_date", "2031-05-15")
    page.click("#save")
    page.wait_for_url("**/engagements/exercises/brilliant-jump-2031/")
    assert page.text_content("#status") == "Proposed"
    assert "NATO RESTRICTED REL TO NATO" in page.inner_text(".record")

    page.click("#edit")
    page.wait_for_selector("#record-form")
    assert page.input_value("#id_participants") == "EST:host:400\nLVA:participant"
    page.fill("#id_title", "Brilliant Jump 31")
    page.fill("#id_battle_tanks", "24")
    page.screenshot(path=f"{SCREENSHOTS}-edit.png", full_page=True)
    page.click("#save")
    page.wait_for_url("**/engagements/exercises/brilliant-jump-2031/")
    assert page.text_content("h1") == "Brilliant Jump 31"

    page.click("button[name=to][value=planned]")
    page.wait_for_function("() => document.getElementById('status').textContent === 'Planned'")
    exercise = Exercise.objects.get(key="brilliant-jump-2031")
    assert (exercise.title, exercise.battle_tanks, exercise.status, exercise.owner) == (
        "Brilliant Jump 31",
        24,
        "planned",
        "NLD",
    )
    assert sorted(p.state.iso3 for p in exercise.participants.all()) == ["EST", "LVA"]


def test_a_refused_edit_shows_the_reason_and_changes_nothing(
    chromium: Any, live_server: Any, transactional_db: None
) -> None:
    """Another nation's editor sees the record but no edit button; the edit page says why they
    may not change it and offers nothing to change (the write matrix sends the save anyway)."""
    make_exercise("refused-edit-2031", owner="NLD", title="Refused Edit 2031", start_date="2031-06-01")
    make_user("FIN", "SECRET", username="finnish.editor", roles=("editor",))
    page = chromium.new_page(viewport={"width": 1280, "height": 1400})
    sign_in(page, f"{live_server.url}/engagements/exercises/refused-edit-2031/", "finnish.editor")
    page.wait_for_selector("#status")
    assert page.query_selector("#edit") is None

    page.goto(f"{live_server.url}/engagements/records/refused-edit-2031/edit/")
    reason = page.text_content("#refusal") or ""
    assert "not change it" in reason and "only an editor of NLD" in reason, reason
    assert page.is_disabled("#id_title") and page.is_disabled("#id_label_0")
    assert page.query_selector("#save") is None
    page.screenshot(path=f"{SCREENSHOTS}-refused.png", full_page=True)
    assert Exercise.objects.get(key="refused-edit-2031").title == "Refused Edit 2031"
