"""The PRIME workflow: propose, approve, invite, register, report, with its role rules."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from comity.core.labels import label_from_marking
from comity.core.permissions import WriteDenied
from comity.core.testing.factories import make_user
from comity.engagements import prime
from comity.engagements.models import AfterActionReport, ProgrammeActivity
from comity.engagements.services import engagement_transition
from comity.engagements.tests.factories import make_menu_item, make_programme

pytestmark = pytest.mark.django_db


def approver(nation: str = "BEL"):  # type: ignore[no-untyped-def]
    """NATO programme staff: approves activities, invites nations and moves them along."""
    return make_user(nation, "SECRET", roles=("programme_manager:NATO", "editor:NATO"))


def proposed() -> tuple[ProgrammeActivity, object]:
    proposer = make_user("UKR", "UNCLASSIFIED", username="proposer", roles=("editor",))
    activity = prime.activity_propose(
        acting_user=proposer,
        programme=make_programme("UKR", "2027"),
        menu_item=make_menu_item(),
        key="prime-test",
        title="Prime test",
        start_date=date(2025, 3, 1),
        end_date=date(2025, 3, 5),
        label=label_from_marking("NATO UNCLASSIFIED REL TO PFP, NATO"),
    )
    return activity, proposer


def test_the_whole_workflow_with_roles_and_history() -> None:
    activity, proposer = proposed()
    boss = approver()
    with pytest.raises(WriteDenied, match="only a programme manager of NATO"):
        prime.activity_approve(acting_user=proposer, activity=activity)
    prime.activity_approve(acting_user=boss, activity=activity)
    assert (activity.workflow, activity.status) == ("approved", "approved")
    with pytest.raises(prime.WorkflowError, match="unknown: XXX"):
        prime.activity_invite(acting_user=boss, activity=activity, nations=["GEO", "XXX"])
    prime.activity_invite(acting_user=boss, activity=activity, nations=["GEO", "mda"])
    assert prime.invited_nations(activity) == {"GEO", "MDA"}
    with pytest.raises(prime.WorkflowError, match="AUT has not been invited"):
        prime.activity_register(acting_user=make_user("AUT"), activity=activity, personnel=3)
    georgian = make_user("GEO", "UNCLASSIFIED", roles=("editor",))
    prime.activity_register(acting_user=georgian, activity=activity, personnel=4)
    assert activity.participants.get(state__iso3="GEO").personnel == 4
    with pytest.raises(prime.WorkflowError, match="completed first"):
        prime.activity_report(acting_user=proposer, activity=activity, feedback="Went well.")
    engagement_transition(acting_user=boss, engagement=activity, to="ongoing")
    engagement_transition(acting_user=boss, engagement=activity, to="completed")
    with pytest.raises(WriteDenied, match="only the proposer or an approver"):
        prime.activity_report(acting_user=georgian, activity=activity, feedback="Went well.")
    prime.activity_report(acting_user=proposer, activity=activity, feedback="Went well.")
    activity.refresh_from_db()
    assert (activity.workflow, activity.status, activity.feedback) == ("reported", "assessed", "Went well.")
    # Assessed needs an after-action report: the feedback step filed it, at the activity's label.
    report = AfterActionReport.objects.get(engagement=activity)
    assert (report.summary, report.label_id) == ("Went well.", activity.label_id)
    roles = list(activity.assignments.values_list("role", flat=True))
    assert roles == ["proposer", "approver", "invitee", "invitee", "registrant"]


def test_steps_out_of_order_are_refused_in_words() -> None:
    activity, _ = proposed()
    with pytest.raises(prime.WorkflowError, match="needs the activity to be approved or invitations sent"):
        prime.activity_invite(acting_user=approver(), activity=activity, nations=["GEO"])


def test_a_proposer_cannot_label_above_their_clearance() -> None:
    with pytest.raises(prime.WorkflowError, match="label above"):
        prime.activity_propose(
            acting_user=make_user("UKR", "UNCLASSIFIED", roles=("editor",)),
            programme=make_programme("UKR", "2028"),
            menu_item=make_menu_item("c2"),
            key="too-high",
            title="Too high",
            start_date=None,
            end_date=None,
            label=label_from_marking("NATO SECRET"),
        )


def test_workflow_through_the_api() -> None:
    activity, _ = proposed()
    client = Client()
    client.force_login(approver())
    base = f"/api/engagements/activities/{activity.key}"
    assert client.post(f"{base}/approve/", {}, content_type="application/json").json()["workflow"] == "approved"
    invited = client.post(f"{base}/invite/", {"nations": ["GEO"]}, content_type="application/json").json()
    assert invited["workflow"] == "invited"
    refused = client.post(f"{base}/register/", {"personnel": 2}, content_type="application/json")
    assert refused.status_code == 400 and "has not been invited" in refused.json()["step"]
    georgian = Client()
    georgian.force_login(make_user("GEO", "UNCLASSIFIED", roles=("editor",)))
    registered = georgian.post(f"{base}/register/", {"personnel": 2}, content_type="application/json").json()
    assert registered["workflow"] == "registered"
    early = client.post(f"{base}/report/", {"feedback": "x"}, content_type="application/json")
    assert early.status_code == 400
    assert client.get("/api/engagements/menu/").status_code == 200
    assert client.get("/api/engagements/programmes/").json()["count"] >= 1
