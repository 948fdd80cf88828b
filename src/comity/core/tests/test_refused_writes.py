"""A label comes to exist only through a write that succeeds: refused requests leave none behind.

Labels are shared rows that others can list (``/api/labels/``), so a label stored while a request
was being refused would tell them what was tried. Each request below carries a label nobody has
used before and is refused for another reason.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from comity.core.models import ConfidentialityLabel
from comity.engagements.tests.helpers import create, logged_in

pytestmark = pytest.mark.django_db

#: Nations whose ``REL TO NLD, <nation>`` labels no shipped record carries.
FRESH = ["ISL", "MNE", "ALB", "HRV", "SVN", "SVK", "LVA", "LTU", "EST", "BGR", "ROU", "PRT"]


def fresh_label(n: int, level: str = "RESTRICTED") -> dict[str, Any]:
    return {
        "policy": "NATO",
        "classification": level,
        "categories": [{"tag_name": "Releasable To", "type": "PERMISSIVE", "values": ["NLD", FRESH[n]]}],
    }


@pytest.fixture
def editor() -> Client:
    client = logged_in("NLD", "label-editor", clearance="SECRET")
    assert create(client, "measures", "refused-writes").status_code == 201
    other = logged_in("DEU", "label-other", clearance="SECRET")
    assert create(other, "meetings", "refused-hidden", label="NATO RESTRICTED REL TO DEU").status_code == 201
    return client


def test_ten_refused_api_writes_create_no_label(editor: Client) -> None:
    def patch(key: str, body: dict[str, Any]) -> int:
        url = f"/api/engagements/measures/{key}/"
        return editor.patch(url, body, content_type="application/json").status_code

    before = ConfidentialityLabel.objects.count()
    answers = [
        patch("refused-writes", {"label": fresh_label(0), "end_date": "first of May"}),
        patch("refused-writes", {"label": fresh_label(1), "end_date": "2031-01-01"}),
        patch("refused-writes", {"label": fresh_label(2), "objectives": ["no-such-objective"]}),
        patch("refused-writes", {"label": fresh_label(3, "TOP SECRET")}),
        patch("refused-writes", {"label": fresh_label(4), "status": "bogus"}),
        patch("refused-writes", {"label": fresh_label(5), "key": "renamed"}),
        editor.patch(
            "/api/engagements/meetings/refused-hidden/", {"label": fresh_label(6)}, content_type="application/json"
        ).status_code,
        create(editor, "measures", "refused-writes", label=fresh_label(7)).status_code,  # type: ignore[arg-type]
        create(editor, "training", "refused-backwards", label=fresh_label(8), end_date="2031-01-01").status_code,  # type: ignore[arg-type]
        editor.post(
            "/api/registry/notes/",
            {"state": "NLD", "title": "", "body": "x", "label": fresh_label(9)},
            content_type="application/json",
        ).status_code,
    ]
    assert all(code in {400, 403, 404} for code in answers), answers
    assert ConfidentialityLabel.objects.count() == before


def test_a_successful_write_stores_its_new_label(editor: Client) -> None:
    before = ConfidentialityLabel.objects.count()
    url = "/api/engagements/measures/refused-writes/"
    assert editor.patch(url, {"label": fresh_label(10)}, content_type="application/json").status_code == 200
    assert ConfidentialityLabel.objects.count() > before


def test_refused_note_forms_create_no_label(editor: Client) -> None:
    before = ConfidentialityLabel.objects.count()
    url = reverse("registry:note-create")
    invalid = editor.post(url, {"state": "NLD", "title": "", "body": "x", "marking": "NATO SECRET REL TO NLD, ISL"})
    above = editor.post(
        url, {"state": "NLD", "title": "t", "body": "x", "marking": "COSMIC TOP SECRET REL TO NLD, MNE"}
    )
    unknown_state = editor.post(url, {"state": "XXX", "title": "t", "body": "x", "marking": "NATO SECRET REL TO ALB"})
    assert [r.status_code for r in (invalid, above, unknown_state)] == [200, 200, 200]
    assert b"above what you may see" in above.content
    assert ConfidentialityLabel.objects.count() == before
    made = editor.post(url, {"state": "NLD", "title": "t", "body": "x", "marking": "NATO SECRET REL TO NLD, HRV"})
    assert made.status_code == 302
    assert ConfidentialityLabel.objects.count() == before + 1


def test_a_refused_plan_save_form_creates_no_label(editor: Client) -> None:
    before = ConfidentialityLabel.objects.count()
    body = {"title_prefix": "x" * 81, "marking": "NATO RESTRICTED REL TO NLD, SVN"}
    assert editor.post(reverse("planning:rotations-save"), body).status_code == 302
    assert ConfidentialityLabel.objects.count() == before
