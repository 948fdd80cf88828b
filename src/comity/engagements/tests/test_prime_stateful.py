"""The PRIME workflow of partnership activities as a hypothesis state machine.

The partner's editor, two NATO programme managers, an invited nation's editor, an uninvited one
and a viewer take the steps (propose, approve, invite, register, move along the lifecycle,
report) in any order, and the model says which are allowed: by the role rules of
``engagements.prime``, the four-eyes rule, the workflow's order, the lifecycle table and the
calendar. After every step: an allowed step moved the activity as the model says with exactly the
change-log entries it expects; a refused one raised the documented error and changed nothing;
an assessed activity has its report; every activity covers its programme's and menu item's label;
every user's ``visible_to`` lists exactly the activities they read.

The PRIME services take an activity their caller has already fetched through the user's access
(the API and the pages do), so every actor here may read every activity but the low-cleared viewer.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule, run_state_machine_as_test

from comity.core.labels import label_from_marking
from comity.core.models.audit import AuditAction, AuditEntry
from comity.core.permissions import WriteDenied
from comity.core.testing.factories import make_user
from comity.engagements import prime
from comity.engagements.choices import Status, Workflow
from comity.engagements.lifecycle import TRANSITIONS, TransitionError
from comity.engagements.models import ActivityAssignment, AfterActionReport, Engagement, ProgrammeActivity
from comity.engagements.services import engagement_transition
from comity.engagements.tests.factories import make_menu_item, make_programme
from comity.engagements.tests.stateful import (
    LEVELS,
    Level,
    Person,
    Refusal,
    RolledBackMachine,
    database_state,
    machine_settings,
    steered,
)

pytestmark = pytest.mark.django_db

#: The programme's label and the menu item's: an activity copies both, so it must cover both.
PROGRAMME, MENU = "PUBLIC", "NATO RESTRICTED"
MARKINGS = ["PUBLIC", "NATO RESTRICTED", "NATO CONFIDENTIAL", "NATO SECRET REL TO FIN"]
#: Activity keys: few, so that a title is proposed twice.
KEYS = ["sm-a", "sm-b", "sm-c"]
NATIONS = [["GEO"], ["AUT"], ["GEO", "AUT"], ["XXX"], []]
STEPS = ["approve", "invite", "register", "report", "ongoing", "completed", "cancelled", "planned"]


@dataclass(frozen=True)
class Activity:
    """An activity as the model keeps it."""

    pk: int
    workflow: str
    status: str
    level: Level
    proposer: str
    last_changer: str
    past: bool
    approvers: frozenset[str] = frozenset()
    invited: frozenset[str] = frozenset()
    assignments: int = 1
    report: bool = False
    entries: tuple[str, ...] = field(default=())


class PrimeMachine(RolledBackMachine):
    PEOPLE = {
        "partner": Person("UKR", "SECRET", ("editor",)),
        "manager": Person("BEL", "SECRET", ("programme_manager:NATO", "editor:NATO")),
        "manager2": Person("DEU", "SECRET", ("programme_manager:NATO", "editor:NATO")),
        "georgian": Person("GEO", "SECRET", ("editor",)),
        "austrian": Person("AUT", "SECRET", ("viewer",)),
        "viewer": Person("UKR", "RESTRICTED", ("viewer",)),
    }

    def __init__(self) -> None:
        super().__init__()
        self.programme = make_programme("UKR", "2031", marking=PROGRAMME)
        self.menu_item = make_menu_item("sm-course", marking=MENU)
        self.activities: dict[str, Activity] = {}
        self.today = timezone.localdate()
        self.new_entries()  # the programme's and menu item's own

    # --- the model -------------------------------------------------------------------------------

    def propose_refusal(self, who: str, key: str, level: Level) -> Refusal:
        person = self.PEOPLE[who]
        if not (person.holds("editor", "UKR") or person.holds("programme_manager", "NATO")):
            return WriteDenied
        if not person.reads(level) or not level.covers(LEVELS[MENU]) or key in self.activities:
            return prime.WorkflowError
        return None

    def step_refusal(self, who: str, activity: Activity, step: str, nations: tuple[str, ...] = ()) -> Refusal:
        """What a PRIME step or a lifecycle move (``step`` is then the target status) should raise."""
        person = self.PEOPLE[who]
        if step == "approve":
            if not person.holds("programme_manager", "NATO") or who in {activity.proposer, activity.last_changer}:
                return WriteDenied
            if activity.workflow != Workflow.PROPOSED or activity.status not in (Status.PROPOSED, Status.PLANNED):
                return prime.WorkflowError
            return None
        if step == "invite":
            if not person.holds("programme_manager", "NATO"):
                return WriteDenied
            if activity.workflow not in (Workflow.APPROVED, Workflow.INVITED) or activity.status == Status.CANCELLED:
                return prime.WorkflowError
            if not nations or "XXX" in nations:
                return prime.WorkflowError
            return None
        if step == "register":
            if (
                activity.workflow not in (Workflow.INVITED, Workflow.REGISTERED)
                or activity.status == Status.CANCELLED
                or person.nation not in activity.invited
            ):
                return prime.WorkflowError
            return None if person.holds("editor", person.nation) else WriteDenied
        if step == "report":
            if activity.workflow != Workflow.REGISTERED or activity.status != Status.COMPLETED:
                return prime.WorkflowError
            if who not in {activity.proposer, *activity.approvers}:
                return WriteDenied
            return None
        if not person.reads(activity.level):
            return Http404  # the lifecycle service fetches the record through the user's access
        if not person.holds("editor", "NATO"):
            return WriteDenied
        if step not in TRANSITIONS[activity.status] or step == Status.APPROVED:
            return TransitionError
        if step in (Status.ONGOING, Status.COMPLETED) and not activity.past:
            return TransitionError  # the calendar: it runs in the future
        return None

    def state(self) -> list[list[object]]:
        return database_state(
            ProgrammeActivity.objects.order_by("key").values_list("key", "workflow", "status", "label", "feedback"),
            ActivityAssignment.objects.order_by("pk").values_list("activity", "role", "user", "state"),
            AfterActionReport.objects.order_by("pk").values_list("engagement", "label"),
        )

    def expect(self, *expected: tuple[str, str, str]) -> None:
        """The change log gained exactly these entries: (action, model, actor)."""
        got = [(entry.action, entry.content_type.model, entry.username) for entry in self.new_entries()]
        assert got == [(action, model, f"sm-{who}") for action, model, who in expected]

    # --- the rules -------------------------------------------------------------------------------

    @initialize(who=st.sampled_from(["partner", "manager"]), past=st.booleans())
    def first_activity(self, who: str, past: bool) -> None:
        self.propose_as(who, "sm-a", MENU, past)

    @rule(data=st.data(), key=st.sampled_from(KEYS), past=st.booleans())
    def propose(self, data: st.DataObject, key: str, past: bool) -> None:
        marking = data.draw(st.sampled_from(MARKINGS))
        who, _ = self.actor(data, lambda name: self.propose_refusal(name, key, LEVELS[marking]))
        self.propose_as(who, key, marking, past)

    def propose_as(self, who: str, key: str, marking: str, past: bool) -> None:
        level = LEVELS[marking]
        start = self.today + timedelta(-10 if past else 10)

        def write() -> None:
            prime.activity_propose(
                acting_user=self.users[who],
                programme=self.programme,
                menu_item=self.menu_item,
                key=key,
                title=f"Activity {key}",
                start_date=start,
                end_date=start + timedelta(3),
                label=self.labels[marking],
            )

        if self.attempt("propose", self.propose_refusal(who, key, level), write):
            pk = Engagement.objects.get(key=key).pk
            self.activities[key] = Activity(pk, Workflow.PROPOSED, Status.PROPOSED, level, who, who, past)
            self.expect((AuditAction.CREATE, "programmeactivity", who), (AuditAction.CREATE, "activityassignment", who))

    @precondition(lambda self: self.activities)
    @rule(data=st.data())
    def step(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(sorted(self.activities)))
        activity = self.activities[key]
        possible = [s for s in STEPS if any(self.step_refusal(n, activity, s, ("GEO",)) is None for n in self.PEOPLE)]
        name = data.draw(st.sampled_from(possible if possible and steered(data) else STEPS))
        nations = tuple(data.draw(st.sampled_from(NATIONS))) if name == "invite" else ()
        who, refusal = self.actor(data, lambda person: self.step_refusal(person, activity, name, nations))
        user, record = self.users[who], ProgrammeActivity.objects.get(pk=activity.pk)
        writes = {
            "approve": lambda: prime.activity_approve(acting_user=user, activity=record),
            "invite": lambda: prime.activity_invite(acting_user=user, activity=record, nations=list(nations)),
            "register": lambda: prime.activity_register(acting_user=user, activity=record, personnel=3),
            "report": lambda: prime.activity_report(acting_user=user, activity=record, feedback="It went well."),
        }
        write = writes.get(name, lambda: engagement_transition(acting_user=user, engagement=record, to=name))
        if not self.attempt(name, refusal, write):
            return
        assignment = (AuditAction.CREATE, "activityassignment", who)
        moved = (AuditAction.UPDATE, "programmeactivity", who)
        if name == "approve":
            self.expect(assignment, moved)
            activity = replace(activity, workflow=Workflow.APPROVED, status=Status.APPROVED)
            activity = replace(activity, approvers=activity.approvers | {who}, assignments=activity.assignments + 1)
        elif name == "invite":
            self.expect(*[assignment] * len(set(nations)), moved)
            activity = replace(activity, workflow=Workflow.INVITED, invited=activity.invited | set(nations))
            activity = replace(activity, assignments=activity.assignments + len(set(nations)))
        elif name == "register":
            self.expect(assignment, moved)
            activity = replace(activity, workflow=Workflow.REGISTERED, assignments=activity.assignments + 1)
        elif name == "report":
            self.expect((AuditAction.CREATE, "afteractionreport", who), moved)
            activity = replace(activity, workflow=Workflow.REPORTED, status=Status.ASSESSED, report=True)
        else:
            self.expect(moved)
            activity = replace(activity, status=name)
        self.activities[key] = replace(activity, last_changer=who)

    # --- the invariants --------------------------------------------------------------------------

    @invariant()
    def the_database_is_the_model(self) -> None:
        stored = {
            key: (workflow, status, self.level_of(label))
            for key, workflow, status, label in ProgrammeActivity.objects.values_list(
                "key", "workflow", "status", "label"
            )
        }
        assert stored == {key: (a.workflow, a.status, a.level) for key, a in self.activities.items()}
        counts = {key: ActivityAssignment.objects.filter(activity=a.pk).count() for key, a in self.activities.items()}
        assert counts == {key: a.assignments for key, a in self.activities.items()}

    @invariant()
    def assessed_with_its_report_and_labels_cover_their_sources(self) -> None:
        for activity in ProgrammeActivity.objects.select_related("after_action_report"):
            level = self.level_of(activity.label_id)
            assert level.covers(LEVELS[PROGRAMME]) and level.covers(LEVELS[MENU])
            if activity.status == Status.ASSESSED:
                assert self.level_of(activity.after_action_report.label_id).covers(level)

    @invariant()
    def everyone_sees_what_they_read(self) -> None:
        if not self.changed:
            return
        self.changed = False
        for name, person in self.PEOPLE.items():
            seen = set(ProgrammeActivity.objects.visible_to(self.users[name]).values_list("key", flat=True))
            assert seen == {key for key, a in self.activities.items() if person.reads(a.level)}


def test_the_prime_machine() -> None:
    run_state_machine_as_test(PrimeMachine, settings=machine_settings(examples=15, steps=25))


def _proposed(cycle: str, key: str) -> ProgrammeActivity:
    """A PUBLIC activity a Ukrainian editor proposes in a programme of its own ``cycle``."""
    return prime.activity_propose(
        acting_user=make_user("UKR", "SECRET", roles=("editor",)),
        programme=make_programme("UKR", cycle),
        menu_item=make_menu_item(f"{key}-course"),
        key=key,
        title=key,
        start_date=None,
        end_date=None,
        label=label_from_marking("PUBLIC"),
    )


def test_a_cancelled_activity_is_not_approved() -> None:
    """What the machine found: the approval step moved a cancelled activity back to approved."""
    manager = make_user("BEL", "SECRET", roles=("programme_manager:NATO", "editor:NATO"))
    activity = _proposed("2031", "sm-cancelled")
    engagement_transition(acting_user=manager, engagement=activity, to=Status.CANCELLED)
    other_manager = make_user("DEU", "SECRET", roles=("programme_manager:NATO",))
    with pytest.raises(prime.WorkflowError, match="a cancelled activity cannot be approved"):
        prime.activity_approve(acting_user=other_manager, activity=ProgrammeActivity.objects.get(pk=activity.pk))
    assert ProgrammeActivity.objects.get(pk=activity.pk).status == Status.CANCELLED


def test_a_cancelled_activity_takes_no_invitation_or_registration() -> None:
    """What the machine modelled as allowed: nations invited to, and registering for, an approved
    activity that was then cancelled. Both steps now refuse it and change nothing."""
    manager = make_user("BEL", "SECRET", roles=("programme_manager:NATO", "editor:NATO"))
    approver = make_user("DEU", "SECRET", roles=("programme_manager:NATO",))
    activity = _proposed("2032", "sm-cancelled-invite")
    activity = prime.activity_approve(acting_user=approver, activity=activity)
    activity = prime.activity_invite(acting_user=manager, activity=activity, nations=["POL"])
    engagement_transition(acting_user=manager, engagement=activity, to=Status.CANCELLED)
    activity = ProgrammeActivity.objects.get(pk=activity.pk)
    polish_editor = make_user("POL", "SECRET", roles=("editor",))
    entries = AuditEntry.objects.count()
    with pytest.raises(prime.WorkflowError, match="a cancelled activity invites no nation"):
        prime.activity_invite(acting_user=manager, activity=activity, nations=["LTU"])
    with pytest.raises(prime.WorkflowError, match="a cancelled activity takes no registration"):
        prime.activity_register(acting_user=polish_editor, activity=activity, personnel=12)
    assert AuditEntry.objects.count() == entries
    assert not activity.participants.filter(state__iso3="POL").exists()
    assert prime.invited_nations(activity) == {"POL"}
