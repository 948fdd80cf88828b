"""In real Chromium: an editor completes an exercise, writes its after-action report (adding an
observation row through htmx; the form points out a label below the exercise's), and moves the
exercise to assessed on it."""

from __future__ import annotations

from typing import Any

import pytest

from comity.core.testing.browser import sign_in
from comity.core.testing.factories import make_user
from comity.engagements.models import AfterActionReport, Exercise
from comity.engagements.tests.helpers import make_exercise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Where the screenshots go, to look at by eye (the test does not read them).
SCREENSHOTS = "/tmp/comity-report-form"  # noqa: S108


def test_an_editor_completes_reports_and_assesses_an_exercise(
    chromium: Any, live_server: Any, transactional_db: None
) -> None:
    make_user("NLD", "RESTRICTED", username="reporter", roles=("editor",))
    make_exercise(
        "steady-report-2025",
        owner="NLD",
        title="Steady Report 2025",
        status="ongoing",
        start_date="2025-04-01",
        end_date="2025-04-05",
        label="NATO RESTRICTED REL TO NATO",
        participants="NLD;BEL",
        objectives="interoperability",
    )
    page = chromium.new_page(viewport={"width": 1280, "height": 1600})
    sign_in(page, f"{live_server.url}/engagements/exercises/steady-report-2025/", "reporter")
    assert page.query_selector("#move-assessed") is None
    page.click("button[name=to][value=completed]")
    page.wait_for_function("() => document.getElementById('status').textContent === 'Completed'")
    assert page.query_selector("#move-assessed") is None  # no report yet: no assessment

    page.click("#write-report")
    page.wait_for_selector("#report-form")
    page.fill("#id_summary", "A <b>test</b> command post exercise.")
    page.select_option("#id_rating-interoperability", "partly_achieved")
    page.fill("#id_achievement-interoperability", "Orders flowed on day two.")
    page.fill("#id_obs-0-observation", "Liaison officers arrived late.")
    page.fill("#id_obs-0-discussion", "The joining instructions gave no time.")
    page.fill("#id_obs-0-conclusion", "The first briefing went without them.")
    page.fill("#id_obs-0-recommendation", "Give an arrival time.")
    page.click("#add-observation")  # htmx swaps in the observations with a row more
    page.wait_for_selector("#id_obs-2-observation")
    assert page.input_value("#id_obs-0-observation") == "Liaison officers arrived late."
    assert page.input_value("#id_summary") == "A <b>test</b> command post exercise."
    assert page.query_selector("#errors-summary") is None  # nothing judged yet
    page.fill("#id_obs-2-observation", "The radio net was overloaded.")
    page.select_option("#id_label_0", "NATO UNCLASSIFIED")  # below the exercise: the form says so
    page.uncheck("input[name=label_groups][value=NATO]")
    page.click("#save-report")
    page.wait_for_selector("#errors-label")
    assert "at least NATO RESTRICTED REL TO NATO" in page.text_content("#errors-label")
    assert page.input_value("#id_obs-0-observation") == "Liaison officers arrived late."  # what was typed is kept
    page.screenshot(path=f"{SCREENSHOTS}-error.png", full_page=True)

    page.select_option("#id_label_0", "NATO RESTRICTED")
    page.check("input[name=label_groups][value=NATO]")
    page.click("#save-report")
    page.wait_for_url("**/engagements/records/steady-report-2025/report/")
    assert page.text_content("#summary").strip() == "A <b>test</b> command post exercise."  # text, not markup
    assert "Partly achieved" in page.inner_text("#achievements")
    assert "Give an arrival time." in page.inner_text("#observation-1")
    assert "The radio net was overloaded." in page.inner_text("#observation-2")
    page.screenshot(path=f"{SCREENSHOTS}-report.png", full_page=True)

    page.click("#move-assessed")
    page.wait_for_url("**/engagements/exercises/steady-report-2025/")
    assert page.text_content("#status") == "Assessed"
    assert page.query_selector("#report-link") is not None
    report = AfterActionReport.objects.get(engagement__key="steady-report-2025")
    assert (report.label.marking, report.owner, Exercise.objects.get(key="steady-report-2025").status) == (
        "NATO RESTRICTED REL TO NATO",
        "NLD",
        "assessed",
    )
