"""The PRIME workflow of a partnership activity: propose, approve, invite, register, report.

Each step is a service call that checks who may take it (``core.authority``), moves the
activity, records the role and writes the change log in one transaction. An activity is owned by
its programme's owner (NATO's partnership staff):

* propose: an editor of the partner nation, or a programme manager of the programme's owner;
  the activity's label must cover the programme's and the menu item's (it copies their title,
  code and objectives), and be one the proposer may read;
* approve and invite: a programme manager of the owner, never the proposer or the person who
  last changed it (four-eyes); only a proposed or planned activity is approved (a cancelled one
  stays cancelled);
* register: an editor of an invited nation;
* report: the proposer or the approver, still holding the role they acted in, once the
  activity has been completed.

Lifecycle statuses follow: approval plans and approves the engagement; the report assesses it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from comity.core.audit import audit_create, audit_update, snapshot
from comity.core.authority import WriteAction
from comity.core.derivation import uncovered_by
from comity.core.permissions import WriteDenied, require_write, write_decision
from comity.core.selectors import may_see_label
from comity.engagements.choices import ActivityRole, EngagementKind, ParticipantRole, Status, Workflow
from comity.engagements.models import (
    ActivityAssignment,
    Engagement,
    EngagementParticipant,
    MenuItem,
    PartnerProgramme,
    ProgrammeActivity,
)
from comity.engagements.reports import partner_activity_report
from comity.engagements.services import engagement_insert
from comity.registry.models import State

if TYPE_CHECKING:
    from comity.core.models import ConfidentialityLabel, User


#: The statuses from which the approval step may move an activity: the lifecycle reaches
#: ``approved`` through ``planned``, and the step plans and approves at once.
APPROVABLE = (Status.PROPOSED, Status.PLANNED)


class WorkflowError(ValueError):
    """A PRIME step that cannot be taken now (wrong state, bad input)."""


def _expect(activity: ProgrammeActivity, *states: str) -> None:
    if activity.workflow not in states:
        wanted = " or ".join(Workflow(s).label.lower() for s in states)
        raise WorkflowError(
            f"this step needs the activity to be {wanted}; it is {activity.get_workflow_display().lower()}"
        )


def _manager(user: User, activity: ProgrammeActivity) -> None:
    """Approval and invitations: a programme manager of the owner, four-eyes."""
    require_write(user, WriteAction.MANAGE_PROGRAMME, activity, activity.owner)


def may_approve(user: User, activity: ProgrammeActivity) -> bool:
    """Whether the page should offer the approval step to ``user`` (four-eyes included)."""
    return bool(write_decision(user, WriteAction.MANAGE_PROGRAMME, activity, activity.owner))


def may_invite(user: User, activity: ProgrammeActivity) -> bool:
    """Whether the page should offer invitations: a programme manager, who may also have approved."""
    return bool(write_decision(user, WriteAction.MANAGE_PROGRAMME, None, activity.owner))


def _may_propose(user: User, programme: PartnerProgramme) -> None:
    for action, owner in (
        (WriteAction.CREATE, programme.partner.iso3),
        (WriteAction.MANAGE_PROGRAMME, programme.owner),
    ):
        if write_decision(user, action, None, owner):
            return
    raise WriteDenied(
        f"only an editor of {programme.partner.iso3} or a programme manager of {programme.owner or 'the programme'} "
        "may propose activities for this programme"
    )


def _assign(
    activity: ProgrammeActivity, role: str, *, acting_user: User, user: User | None = None, state: State | None = None
) -> None:
    assignment = ActivityAssignment.objects.create(activity=activity, role=role, user=user, state=state)
    audit_create(assignment, acting_user=acting_user)


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
    """Propose an activity from the menu for a partner's programme (see the module's rules)."""
    _may_propose(acting_user, programme)
    if not may_see_label(acting_user, label):
        raise WorkflowError("you may not give an activity a label above what you may see")
    needed = uncovered_by(label, [programme.label, menu_item.label])
    if needed is not None:
        raise WorkflowError(f"the activity copies its programme and menu item, so its label must be at least {needed}")
    if start_date and end_date and end_date < start_date:
        raise WorkflowError("the activity ends before it starts")
    if Engagement.objects.filter(key=key).exists():
        raise WorkflowError(
            "an activity with this title is already in the programme for this cycle; choose another title"
        )
    activity = engagement_insert(
        acting_user=acting_user,
        model=ProgrammeActivity,
        key=key,
        values={
            "kind": EngagementKind.PROGRAMME,
            "title": title,
            "start_date": start_date,
            "end_date": end_date,
            "location": location,
            "programme": programme,
            "menu_item": menu_item,
            "label": label,
            "status": Status.PROPOSED,
            "source": f"Partner programme {programme.title}",
            "owner": programme.owner,
        },
        participants=[(programme.partner, ParticipantRole.HOST, None)],
        objectives=list(menu_item.objectives.all()),
    )
    _assign(activity, ActivityRole.PROPOSER, acting_user=acting_user, user=acting_user)
    return activity


@transaction.atomic
def activity_approve(*, acting_user: User, activity: ProgrammeActivity) -> ProgrammeActivity:
    _manager(acting_user, activity)
    _expect(activity, Workflow.PROPOSED)
    if activity.status not in APPROVABLE:  # approval is a lifecycle move too: a cancelled activity stays so
        raise WorkflowError(
            f"a {activity.get_status_display().lower()} activity cannot be approved; "
            f"it must be {' or '.join(APPROVABLE)}"
        )
    _assign(activity, ActivityRole.APPROVER, acting_user=acting_user, user=acting_user)
    return _move(activity, acting_user, Workflow.APPROVED, status=Status.APPROVED)


def _not_cancelled(activity: ProgrammeActivity, what: str) -> None:
    """A cancelled activity will not take place: nobody is asked to it or commits to it any more."""
    if activity.status == Status.CANCELLED:
        raise WorkflowError(f"a cancelled activity {what}")


@transaction.atomic
def activity_invite(*, acting_user: User, activity: ProgrammeActivity, nations: list[str]) -> ProgrammeActivity:
    """Invite nations (ISO alpha-3) to take part."""
    require_write(acting_user, WriteAction.MANAGE_PROGRAMME, None, activity.owner)  # inviting is not approving
    _expect(activity, Workflow.APPROVED, Workflow.INVITED)
    _not_cancelled(activity, "invites no nation")
    codes = sorted({code.strip().upper() for code in nations if code.strip()})
    states = list(State.objects.filter(iso3__in=codes))
    unknown = sorted(set(codes) - {s.iso3 for s in states})
    if not codes or unknown:
        raise WorkflowError(f"invite at least one known nation; unknown: {', '.join(unknown) or 'none given'}")
    for state in states:
        _assign(activity, ActivityRole.INVITEE, acting_user=acting_user, user=acting_user, state=state)
    return _move(activity, acting_user, Workflow.INVITED)


def invited_nations(activity: ProgrammeActivity) -> set[str]:
    return set(activity.assignments.filter(role=ActivityRole.INVITEE).values_list("state__iso3", flat=True))


@transaction.atomic
def activity_register(*, acting_user: User, activity: ProgrammeActivity, personnel: int) -> ProgrammeActivity:
    """Register the acting user's nation with its number of participants."""
    _expect(activity, Workflow.INVITED, Workflow.REGISTERED)
    _not_cancelled(activity, "takes no registration")
    nation = acting_user.nationality
    if nation not in invited_nations(activity):
        raise WorkflowError(f"{nation or 'your nation'} has not been invited to this activity")
    require_write(acting_user, WriteAction.CREATE, None, nation)  # registering commits the nation
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
    _assign(activity, ActivityRole.REGISTRANT, acting_user=acting_user, user=acting_user, state=participant.state)
    return _move(activity, acting_user, Workflow.REGISTERED)


@transaction.atomic
def activity_report(*, acting_user: User, activity: ProgrammeActivity, feedback: str) -> ProgrammeActivity:
    """File the feedback report; the completed activity gets its after-action report (the feedback
    as its summary, unless one was written already) and becomes assessed."""
    _expect(activity, Workflow.REGISTERED)
    if activity.status != Status.COMPLETED:
        raise WorkflowError("the feedback report follows a completed activity; mark it completed first")
    holders = set(
        activity.assignments.filter(role__in=[ActivityRole.PROPOSER, ActivityRole.APPROVER]).values_list(
            "user_id", flat=True
        )
    )
    if acting_user.pk not in holders:
        raise WriteDenied("only the proposer or an approver of this activity may report on it")
    if not (
        write_decision(acting_user, WriteAction.CREATE, None, activity.programme.partner.iso3)
        or write_decision(acting_user, WriteAction.MANAGE_PROGRAMME, None, activity.owner)
    ):
        raise WriteDenied("the feedback report needs the role you proposed or approved the activity in")
    if not feedback.strip():
        raise WorkflowError("the feedback report is empty")
    # Assessed needs an after-action report (as every move to assessed does): the feedback files one.
    partner_activity_report(acting_user=acting_user, activity=activity, feedback=feedback.strip())
    return _move(activity, acting_user, Workflow.REPORTED, feedback=feedback.strip(), status=Status.ASSESSED)
