"""Partnership depth: activities by PRIME step and completion per programme, from what the viewer may see."""

from __future__ import annotations

import pytest
from django.test import Client

from comity.assessment.partnership_selectors import partnership_depth
from comity.core.labels import label_from_marking
from comity.core.testing.factories import make_user
from comity.engagements.choices import EngagementKind, Workflow
from comity.engagements.models import ProgrammeActivity
from comity.engagements.tests.factories import make_menu_item, make_programme

pytestmark = pytest.mark.django_db


def _activity(key: str, programme: object, item: object, workflow: str, marking: str = "PUBLIC") -> None:
    ProgrammeActivity.objects.create(
        key=key,
        title=key,
        kind=EngagementKind.PROGRAMME,
        programme=programme,
        menu_item=item,
        workflow=workflow,
        label=label_from_marking(marking),
        owner="NATO",
    )


def test_depth_counts_steps_and_completion_of_the_visible_activities() -> None:
    programme = make_programme("UKR", "2027")
    course, other = make_menu_item("depth-course"), make_menu_item("depth-other", "Other course")
    _activity("depth-1", programme, course, Workflow.REPORTED)
    _activity("depth-2", programme, course, Workflow.APPROVED)
    _activity("depth-3", programme, other, Workflow.REPORTED, marking="NATO SECRET REL TO UKR")
    make_programme("GEO", "2027")
    insider, outsider = make_user("UKR", "SECRET"), make_user("FIN", "SECRET")
    ukraine = next(row for row in partnership_depth(insider) if row.partner == "UKR")
    assert (ukraine.activities, ukraine.completed, ukraine.menu_items) == (3, 2, 2)
    assert ukraine.completion == pytest.approx(2 / 3)
    seen = next(row for row in partnership_depth(outsider) if row.partner == "UKR")
    assert (seen.activities, seen.completed, seen.menu_items) == (2, 1, 1)
    assert seen.by_step[Workflow.APPROVED] == 1
    georgia = next(row for row in partnership_depth(outsider) if row.partner == "GEO")
    assert georgia.activities == 0 and georgia.completion is None


def test_a_hidden_programme_is_absent() -> None:
    make_programme("MDA", "2027", marking="NATO SECRET REL TO MDA", title="Hidden Osprey programme")
    client = Client()
    client.force_login(make_user("FIN", "SECRET"))
    page = client.get("/assessment/partnerships/").content.decode()
    assert "Osprey" not in page and "MDA" not in page
    assert all(row.partner != "MDA" for row in partnership_depth(make_user("FIN", "SECRET")))
