"""In real Chromium: the demo editor's desk after ``comity demo``, with one record the calendar has
overtaken and one Vienna Document notification ahead. Every line of every panel carries its
marking, the banner says the bound of all of them, and the Needs attention page lists the rest.
The screenshots are written to look at by eye (the test reads the DOM)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from comity.core.banner import bound_marking
from comity.core.desk import desk_read
from comity.core.labels import label_from_marking
from comity.core.models import User
from comity.core.steps import demo_steps_run
from comity.core.testing.browser import sign_in
from comity.core.testing.factories import TEST_PASSWORD
from comity.engagements.choices import EngagementKind, Status
from comity.engagements.models import Exercise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The demo's Netherlands analyst, editor for NLD (``core.demo.DEMO_USERS``).
DEMO_EDITOR = "analyst.nld"
#: Where the screenshots go, to look at by eye.
SCREENSHOTS = Path("/tmp/comity-desk")  # noqa: S108


@pytest.fixture
def demo(transactional_db: None, settings: Any, tmp_path: Path) -> User:
    """``comity demo`` (its event samples into this test's data directory), then two records of
    the editor's nation that the desk must raise."""
    settings.DATA_DIR = tmp_path
    demo_steps_run()
    today = timezone.localdate()
    for key, title, start, personnel in (
        ("desk-overtaken", "Desk test: staff exercise still planned", today - timedelta(days=12), None),
        ("desk-notifiable", "Desk test: brigade exercise <to notify>", today + timedelta(days=50), 12000),
    ):
        Exercise.objects.create(
            key=key,
            kind=EngagementKind.EXERCISE,
            title=title,
            status=Status.PLANNED,
            start_date=start,
            personnel=personnel,
            label=label_from_marking("NATO RESTRICTED REL TO NATO"),
            owner="NLD",
        )
    editor = User.objects.get(username=DEMO_EDITOR)
    editor.set_password(TEST_PASSWORD)
    editor.save(update_fields=["password"])
    return editor


def test_the_demo_editors_desk(chromium: Any, live_server: Any, demo: User) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(page, f"{live_server.url}/", DEMO_EDITOR)
    page.screenshot(path=str(SCREENSHOTS / "desk.png"), full_page=True)
    assert errors == []

    panels = page.locator(".desk-panel")
    assert [panels.nth(i).get_attribute("id") for i in range(panels.count())] == [
        "panel-attention",
        "panel-approvals",
        "panel-reports",
        "panel-vienna",
        "panel-changes",
        "panel-alerts",
        "panel-messages",
    ]
    attention = page.locator("#panel-attention li").first.inner_text()
    assert attention.startswith("NATO RESTRICTED REL TO NATO")
    assert "Desk test: staff exercise still planned: planned, but it started on" in attention
    vienna = page.locator("#panel-vienna li").first.inner_text()
    assert "Desk test: brigade exercise <to notify>: notification due by" in vienna  # shown as text
    # The latest changes of the demo: the assessment step's objectives and measurements (it runs
    # after the engagements' step), each line under its own marking.
    changes = [text.split("” by")[0] for text in page.locator("#panel-changes li").all_inner_texts()]
    assert any(c.startswith("NATO SECRET REL TO NLD Created measurement “Measurement of indicator") for c in changes)
    assert any("Created objective “Demo: staffs that work together" in c for c in changes)
    assert page.locator("#panel-alerts li .label-badge").count() == 5  # the demo's event samples
    assert "All of them on Needs attention" not in page.locator("#panel-alerts").inner_text()  # it only informs
    # Every line of a panel with items carries its marking.
    lines = page.locator(".desk-panel li:not(.desk-empty)")
    assert lines.count() == page.locator(".desk-panel li:not(.desk-empty) > .label-badge").count()
    labels = [label for view in desk_read(demo) for item in view.items for label in item.labels]
    banner = page.locator(".label-banner")
    assert {banner.nth(i).inner_text() for i in range(banner.count())} == {bound_marking(labels)[0]}

    page.click("text=see all")
    page.wait_for_url("**/desk/attention/")
    page.screenshot(path=str(SCREENSHOTS / "attention.png"), full_page=True)
    assert page.locator(".desk-panel").count() == 4  # attention, approvals, reports due, Vienna
    assert "Desk test: staff exercise still planned" in page.locator("#panel-attention").inner_text()
    assert errors == []
