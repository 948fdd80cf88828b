"""The engagements' desk panels (``core.desk``): records the calendar has overtaken, steps waiting
for the user, and Vienna Document notifications falling due, each within the user's scope and
label, with hidden records absent."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from comity.core.labels import label_from_marking
from comity.core.testing.factories import make_user
from comity.engagements import prime, selectors
from comity.engagements.choices import EngagementKind, Status
from comity.engagements.models import Exercise
from comity.engagements.services import engagement_create
from comity.engagements.tests.factories import make_menu_item, make_programme
from comity.registry.models import State

pytestmark = pytest.mark.django_db

TODAY = date(2030, 6, 15)
RESTRICTED = "NATO RESTRICTED REL TO NATO"
SECRET_NLD = "NATO SECRET REL TO NLD"


def exercise(key: str, *, status: str, start: date | None, end: date | None = None, **fields: object) -> Exercise:
    """An exercise as it stands in the database (no service: statuses here are deliberately stale)."""
    values = {"owner": "NLD", "label": label_from_marking(RESTRICTED), "date_precision": "day", **fields}
    return Exercise.objects.create(
        key=key, kind=EngagementKind.EXERCISE, title=key, status=status, start_date=start, end_date=end, **values
    )


def attention_keys(user: object, today: date = TODAY) -> list[str]:
    return [record.key for record in selectors.needing_attention(user, today)]  # type: ignore[arg-type]


def test_overtaken_statuses_are_found_and_current_ones_are_not() -> None:
    editor = make_user("NLD", "RESTRICTED", roles=("editor",))
    exercise("planned-past", status=Status.PLANNED, start=date(2030, 6, 1), end=date(2030, 6, 30))
    exercise("approved-past", status=Status.APPROVED, start=date(2030, 5, 1))
    exercise("ongoing-ended", status=Status.ONGOING, start=date(2030, 5, 1), end=date(2030, 6, 14))
    exercise(
        "ongoing-month-ended",
        status=Status.ONGOING,
        start=date(2030, 4, 1),
        end=date(2030, 5, 1),
        date_precision="month",
    )
    exercise(
        "ongoing-this-month",
        status=Status.ONGOING,
        start=date(2030, 4, 1),
        end=date(2030, 6, 1),
        date_precision="month",
    )
    exercise("ongoing-ends-today", status=Status.ONGOING, start=date(2030, 6, 1), end=TODAY)
    exercise("planned-today", status=Status.PLANNED, start=TODAY)
    exercise("planned-future", status=Status.PLANNED, start=date(2030, 7, 1))
    exercise("completed-past", status=Status.COMPLETED, start=date(2030, 5, 1), end=date(2030, 5, 2))
    exercise("cancelled-past", status=Status.CANCELLED, start=date(2030, 5, 1))
    exercise("undated", status=Status.PLANNED, start=None)
    assert attention_keys(editor) == ["ongoing-month-ended", "approved-past", "ongoing-ended", "planned-past"]


def test_only_the_writable_scope_and_visible_labels() -> None:
    today = timezone.localdate()
    start = today - timedelta(days=30)
    exercise("ours", status=Status.PLANNED, start=start)
    exercise("finnish", status=Status.PLANNED, start=start, owner="FIN")
    exercise("secret-ours", status=Status.PLANNED, start=start, label=label_from_marking(SECRET_NLD))
    restricted_editor = make_user("NLD", "RESTRICTED", roles=("editor",))
    secret_editor = make_user("NLD", "SECRET", roles=("editor",))
    viewer = make_user("NLD", "SECRET", roles=("viewer",))
    assert attention_keys(restricted_editor, today) == ["ours"]
    assert attention_keys(secret_editor, today) == ["ours", "secret-ours"]
    assert attention_keys(viewer, today) == []
    items = selectors.desk_attention(restricted_editor, None)
    assert [item.text for item in items] == [f"ours: planned, but it started on {start}"]
    assert [item.marking for item in items] == [RESTRICTED]
    assert items[0].url == "/engagements/exercises/ours/"
    assert len(selectors.desk_attention(secret_editor, 1)) == 1


def _planned(key: str, author: object, marking: str = RESTRICTED) -> None:
    engagement_create(
        acting_user=author,  # type: ignore[arg-type]
        model=Exercise,
        kind=EngagementKind.EXERCISE,
        key=key,
        values={
            "title": key,
            "status": Status.PLANNED,
            "start_date": date(2031, 3, 1),
            "label": label_from_marking(marking),
            "owner": "NLD",
        },
        participants=[(State.objects.get(iso3="NLD"), "lead", None)],
        objectives=[],
    )


def approval_steps(user: object) -> list[tuple[str, str]]:
    return [(record.key, step) for record, step in selectors.approvals_waiting(user)]  # type: ignore[arg-type]


def test_approvals_wait_for_an_approver_of_the_scope_but_not_for_their_own() -> None:
    analyst = make_user("NLD", "SECRET", username="analyst", roles=("editor",))
    approver = make_user("NLD", "SECRET", username="boss", roles=("approver", "editor"))
    restricted_approver = make_user("NLD", "RESTRICTED", username="boss2", roles=("approver",))
    _planned("by-analyst", analyst)
    _planned("by-analyst-secret", analyst, SECRET_NLD)
    _planned("by-boss", approver)
    assert approval_steps(approver) == [("by-analyst", "approve"), ("by-analyst-secret", "approve")]
    assert approval_steps(restricted_approver) == [("by-analyst", "approve"), ("by-boss", "approve")]
    assert approval_steps(analyst) == []  # an editor approves nothing
    assert [item.text for item in selectors.desk_approvals(restricted_approver, 1)] == ["Approve: by-analyst"]


def test_prime_steps_wait_for_the_manager_and_the_invited_nation() -> None:
    partner = make_user("UKR", "UNCLASSIFIED", username="partner", roles=("editor",))
    manager = make_user("BEL", "SECRET", username="manager", roles=("programme_manager:NATO", "editor:NATO"))
    activity = prime.activity_propose(
        acting_user=partner,
        programme=make_programme("UKR", "2031"),
        menu_item=make_menu_item(),
        key="desk-activity",
        title="Desk activity",
        start_date=date(2031, 3, 1),
        end_date=date(2031, 3, 5),
        label=label_from_marking("NATO UNCLASSIFIED REL TO PFP, NATO"),
    )
    assert approval_steps(manager) == [("desk-activity", "approve")]
    assert approval_steps(partner) == []  # the proposer does not approve
    prime.activity_approve(acting_user=manager, activity=activity)
    assert approval_steps(manager) == [("desk-activity", "invite nations to")]
    prime.activity_invite(acting_user=manager, activity=activity, nations=["GEO"])
    georgian = make_user("GEO", "UNCLASSIFIED", username="georgian", roles=("editor",))
    assert approval_steps(georgian) == [("desk-activity", "register GEO for")]
    assert approval_steps(make_user("GEO", "UNCLASSIFIED", roles=("viewer",))) == []
    prime.activity_register(acting_user=georgian, activity=activity, personnel=2)
    assert approval_steps(georgian) == []


def test_vienna_notifications_of_the_users_nation_falling_due() -> None:
    today = timezone.localdate()
    user = make_user("NLD", "RESTRICTED", roles=("editor",))
    big = {"personnel": 12000}
    exercise("big-ours", status=Status.PLANNED, start=today + timedelta(days=60), **big)
    exercise("big-late", status=Status.PLANNED, start=today + timedelta(days=10), **big)
    exercise("small-ours", status=Status.PLANNED, start=today + timedelta(days=60), personnel=100)
    exercise("big-past", status=Status.COMPLETED, start=today - timedelta(days=10), **big)
    exercise("big-finnish", status=Status.PLANNED, start=today + timedelta(days=60), owner="FIN", **big)
    exercise(
        "big-secret",
        status=Status.PLANNED,
        start=today + timedelta(days=60),
        label=label_from_marking(SECRET_NLD),
        **big,
    )
    assert [e.key for e, _ in selectors.vienna_falling_due(user, today)] == ["big-late", "big-ours"]
    texts = [item.text for item in selectors.desk_vienna(user, None)]
    assert texts[0].startswith(f"big-late: notification was due by {today - timedelta(days=32)}")
    assert texts[1].startswith(f"big-ours: notification due by {today + timedelta(days=18)}")
    assert "crosses troops" in texts[1]


def test_reports_due_for_completed_records_of_the_scope_without_one() -> None:
    """Completed records of the editor's scope with no after-action report, hidden ones absent."""
    from comity.engagements.models import AfterActionReport

    editor = make_user("NLD", "SECRET", username="desk-reports", roles=("editor",))
    due = exercise("dr-due", status=Status.COMPLETED, start=date(2024, 1, 1), end=date(2024, 1, 5))
    reported = exercise("dr-reported", status=Status.COMPLETED, start=date(2024, 2, 1), end=date(2024, 2, 5))
    AfterActionReport.objects.create(engagement=reported, label=reported.label, owner="NLD", summary="done")
    exercise("dr-other-scope", status=Status.COMPLETED, start=date(2024, 1, 1), owner="DEU")
    exercise(
        "dr-hidden", status=Status.COMPLETED, start=date(2024, 1, 1), label=label_from_marking("NATO SECRET REL TO DEU")
    )
    exercise("dr-planned", status=Status.PLANNED, start=date(2024, 1, 1))
    items = selectors.desk_reports_due(editor, None)
    assert [item.url.rsplit("/", 2)[-2] for item in items if "dr-" in item.url] == [due.key]
    assert "no after-action report yet" in items[0].text or any("dr-due" in i.text for i in items)
