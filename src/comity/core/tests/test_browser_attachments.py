"""In real Chromium: an editor attaches a PDF to an exercise from its page under a label above the
exercise's, downloads it back byte for byte, and a user of another nation, who sees the exercise,
sees no trace of the file and is answered 404 for its address."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from comity.core.models import Attachment
from comity.core.testing.attachments import PDF_BYTES
from comity.core.testing.browser import sign_in
from comity.core.testing.factories import make_user
from comity.engagements.tests.helpers import make_exercise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(chromium: Any, transactional_db: None, settings: Any, tmp_path: Path) -> Any:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "attachments")},
        },
    }
    return chromium


def test_an_editor_attaches_a_pdf_that_another_nation_cannot_fetch(
    browser: Any, live_server: Any, tmp_path: Path
) -> None:
    exercise = make_exercise(
        "att-browser", owner="NLD", title="Exercise with a report", label="NATO RESTRICTED", start_date="2024-05-01"
    )
    make_user("NLD", "SECRET", username="nld-editor", roles=("editor",))
    make_user("FIN", "SECRET", username="fin-reader", roles=("editor",))
    report = tmp_path / "After-action report.pdf"
    report.write_bytes(PDF_BYTES)
    path = f"/engagements/exercises/{exercise.key}/"

    editor = sign_in(browser.new_context().new_page(), f"{live_server.url}{path}", "nld-editor")
    editor.set_input_files("#attachment-file", str(report))
    editor.fill("#attachment-label", "NATO SECRET REL TO NLD")
    editor.click("#attachment-form button[type=submit]")
    editor.wait_for_selector("a.attachment-link")
    assert "Attached After-action report.pdf." in editor.content()
    assert editor.text_content("a.attachment-link") == "After-action report.pdf"
    with editor.expect_download() as download:
        editor.click("a.attachment-link")
    assert download.value.suggested_filename == "After-action report.pdf"
    assert Path(download.value.path()).read_bytes() == PDF_BYTES
    history = editor.text_content("#attachments ~ ul")
    assert "created attachment After-action report.pdf" in history

    attachment = Attachment.objects.get()
    url = f"{live_server.url}/attachments/{attachment.pk}/download/"
    assert editor.request.get(url).status == 200
    reader = sign_in(browser.new_context().new_page(), f"{live_server.url}{path}", "fin-reader")
    assert "Exercise with a report" in reader.content()
    assert "After-action report" not in reader.content()
    hidden = reader.request.get(url)
    missing = reader.request.get(f"{live_server.url}/attachments/999999/download/")
    assert hidden.status == missing.status == 404
