"""The PRIME workflow of a partnership activity: propose, approve, invite, register, report.

Each step is a service call that checks who may take it, moves the activity, records the role
and writes the change log in one transaction. Approval and invitations need the
``engagements.approve_programmeactivity`` permission; registration is open to users of an invited
nation; the feedback report to the proposer or an approver, once the activity has been
completed. Lifecycle statuses follow: approval plans and approves the engagement; the report
assesses it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from comity.core.audit import audit_create, audit_update, snapshot
from comity.core.selectors import may_see_label
from comity.engagements.choices import ActivityRole, EngagementKind, ParticipantRole, Status, Workflow
from comity.engagements.models import (
    ActivityAssignment,
    EngagementParticipant,
    MenuItem,
    PartnerProgramme,
    ProgrammeActivity,
)
from comity.registry.models import State

if TYPE_CHECKING:
    from comity.core.models import ConfidentialityLabel, User

APPROVE_PERMISSION = "engagements.approve_programmeactivity"


class WorkflowError(ValueError):
    """A PRIME step that this user may not take, or not now."""


def _expect(activity: ProgrammeActivity, *states: str) -> None:
    if activity.workflow not in states:
        wanted = " or ".join(Workflow(s).label.lower() for s in states)
        raise WorkflowError(
            f"this step needs the activity to be {wanted}; it is {activity.get_workflow_display().lower()}"
        )


def _approver(user: User) -> None:
    if not user.has_perm(APPROVE_PERMISSION):
        raise WorkflowError("only an approver (permission 'approve partnership activities') may take this step")


def _assign(activity: ProgrammeActivity, role: str, *, user: User | None = None, state: State | None = None) -> None:
    assignment = ActivityAssignment.objects.create(activity=activity, role=role, user=user, state=state)
    audit_create(assignment, acting_user=user)


def _move(activity: ProgrammeActivity, acting_user: User, workflow: str, **fields: object) -> ProgrammeActivity:
    before = snapshot(activity)
    activity.workflow = workflow
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.save()
    audit_update(activity, before, acting_user=acting_user)
    return activity


@transaction.atomic
def activity_propose(
    *,
    acting_user: User,
    programme: PartnerProgramme,
    menu_item: MenuItem,
    key: str,
    title: str,
    start_date: date | None,
    end_date: date | None,
    label: ConfidentialityLabel,
    location: str = "",
) -> ProgrammeActivity:
    """Propose an activity from the menu for a partner's programme."""
    if not may_see_label(acting_user, label):
        raise WorkflowError("you may not give an activity a label above what you may see")
    if start_date and end_date and end_date < start_date:
        raise WorkflowError("the activity ends before it starts")
    activity = ProgrammeActivity.objects.create(
        key=key,
        kind=EngagementKind.PROGRAMME,
        title=title,
        start_date=start_date,
        end_date=end_date,
        location=location,
        programme=programme,
        menu_item=menu_item,
        label=label,
        status=Status.PROPOSED,
        source=f"Partner programme {programme.title}",
    )
    activity.objectives.set(menu_item.objectives.all())
    EngagementParticipant.objects.create(engagement=activity, state=programme.partner, role=ParticipantRole.HOST)
    audit_create(activity, acting_user=acting_user)
    _assign(activity, ActivityRole.PROPOSER, user=acting_user)
    return activity


@transaction.atomic
def activity_approve(*, acting_user: User, activity: ProgrammeActivity) -> ProgrammeActivity:
    _approver(acting_user)
    _expect(activity, Workflow.PROPOSED)
    _assign(activity, ActivityRole.APPROVER, user=acting_user)
    return _move(activity, acting_user, Workflow.APPROVED, status=Status.APPROVED)


@transaction.atomic
def activity_invite(*, acting_user: User, activity: ProgrammeActivity, nations: list[str]) -> ProgrammeActivity:
    """Invite nations (ISO alpha-3) to take part."""
    _approver(acting_user)
    _expect(activity, Workflow.APPROVED, Workflow.INVITED)
    codes = sorted({code.strip().upper() for code in nations if code.strip()})
    states = list(State.objects.filter(iso3__in=codes))
    unknown = sorted(set(codes) - {s.iso3 for s in states})
    if not codes or unknown:
        raise WorkflowError(f"invite at least one known nation; unknown: {', '.join(unknown) or 'none given'}")
    for state in states:
        _assign(activity, ActivityRole.INVITEE, user=acting_user, state=state)
    return _move(activity, acting_user, Workflow.INVITED)


def invited_nations(activity: ProgrammeActivity) -> set[str]:
    return set(activity.assignments.filter(role=ActivityRole.INVITEE).values_list("state__iso3", flat=True))


@transaction.atomic
def activity_register(*, acting_user: User, activity: ProgrammeActivity, personnel: int) -> ProgrammeActivity:
    """Register the acting user's nation with its number of participants."""
    _expect(activity, Workflow.INVITED, Workflow.REGISTERED)
    nation = acting_user.nationality
    if nation not in invited_nations(activity):
        raise WorkflowError(f"{nation or 'your nation'} has not been invited to this activity")
    if personnel < 1:
        raise WorkflowError("register at least one participant")
    participant, created = EngagementParticipant.objects.get_or_create(
        engagement=activity,
        state=State.objects.get(iso3=nation),
        role=ParticipantRole.PARTICIPANT,
        defaults={"personnel": personnel},
    )
    if not created:
        participant.personnel = personnel
        participant.save(update_fields=["personnel"])
    _assign(activity, ActivityRole.REGISTRANT, user=acting_user, state=participant.state)
    return _move(activity, acting_user, Workflow.REGISTERED)


@transaction.atomic
def activity_report(*, acting_user: User, activity: ProgrammeActivity, feedback: str) -> ProgrammeActivity:
    """File the feedback report; the completed activity becomes assessed."""
    _expect(activity, Workflow.REGISTERED)
    if activity.status != Status.COMPLETED:
        raise WorkflowError("the feedback report follows a completed activity; mark it completed first")
    holders = set(
        activity.assignments.filter(role__in=[ActivityRole.PROPOSER, ActivityRole.APPROVER]).values_list(
            "user_id", flat=True
        )
    )
    if acting_user.pk not in holders:
        raise WorkflowError("only the proposer or an approver of this activity may report on it")
    if not feedback.strip():
        raise WorkflowError("the feedback report is empty")
    return _move(activity, acting_user, Workflow.REPORTED, feedback=feedback.strip(), status=Status.ASSESSED)
