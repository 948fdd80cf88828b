"""The engagement lifecycle as a hypothesis state machine, against a model it keeps by hand.

Users of two nations with different clearances and roles create exercises, move them along the
lifecycle (through ``engagement_transition`` and through ``engagement_update``, the two doors),
relabel them, and write and relabel after-action reports. The model says, for every step, whether
the lifecycle table, the calendar, the report rule and the write rule allow it. After every step:
an allowed write did what the model says with exactly the change-log entries it expects; a refused
one raised the documented error and changed nothing; every report covers its engagement's label;
every user's ``visible_to`` lists exactly the records whose label the model says they read.

Half the time a rule's actor is drawn from those the model says may act, and its record from
those the rule gets furthest with; otherwise a run would spend itself on refusals before it
reached a report.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import pytest
from django.http import Http404
from django.utils import timezone
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule, run_state_machine_as_test

from comity.core.labels import label_from_marking
from comity.core.models import AuditEntry
from comity.core.models.audit import AuditAction
from comity.core.permissions import WriteDenied
from comity.core.testing.factories import make_user
from comity.engagements.choices import EngagementKind, Status
from comity.engagements.lifecycle import TRANSITIONS, TransitionError
from comity.engagements.models import AfterActionReport, Engagement, Exercise
from comity.engagements.reports import REPORTABLE, ReportError, report_create, report_update
from comity.engagements.services import (
    EngagementChangeError,
    engagement_create,
    engagement_transition,
    engagement_update,
)
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

#: When a record runs, relative to today: (start, end) in days, or no dates at all.
TIMINGS: dict[str, tuple[int, int] | None] = {"past": (-30, -20), "running": (-3, 3), "future": (10, 20), "none": None}
MARKINGS = sorted(LEVELS)
STATUSES = [str(status) for status in Status.values]
#: The statuses a record is created in, weighted towards those a report or a premature move may follow.
CREATED_IN = [*STATUSES, Status.APPROVED, Status.ONGOING, Status.ONGOING, Status.COMPLETED, Status.COMPLETED]


@dataclass(frozen=True)
class Record:
    """An engagement as the model keeps it."""

    pk: int
    status: str
    level: Level
    owner: str
    creator: str
    last_changer: str
    start: date | None
    end: date | None
    report: Level | None = None


class LifecycleMachine(RolledBackMachine):
    PEOPLE = {
        "editor": Person("NLD", "SECRET", ("editor",)),
        "low_editor": Person("NLD", "RESTRICTED", ("editor",)),
        "other_editor": Person("FIN", "SECRET", ("editor",)),
        "viewer": Person("NLD", "SECRET", ("viewer",)),
        "approver": Person("NLD", "SECRET", ("approver",)),
        "proposer": Person("NLD", "SECRET", ("editor", "approver")),
    }

    def __init__(self) -> None:
        super().__init__()
        self.records: dict[str, Record] = {}
        self.today = timezone.localdate()

    # --- the model -------------------------------------------------------------------------------

    def move_refusal(self, who: str, record: Record, to: str) -> Refusal:
        """What a lifecycle move should raise (``TransitionError`` standing for the table, the
        calendar and the report rule), or None when it is allowed."""
        person = self.PEOPLE[who]
        if not person.reads(record.level):
            return Http404
        # The write rule first, role and four-eyes (a reader hears 403: ``services._check_move``),
        # then the table: hypothesis found the model asking the table before four-eyes.
        if not person.holds("approver" if to == Status.APPROVED else "editor", record.owner):
            return WriteDenied
        if to == Status.APPROVED and who in {record.creator, record.last_changer}:
            return WriteDenied
        if to not in TRANSITIONS[record.status]:
            return TransitionError
        finish = record.end or record.start
        if to == Status.ONGOING and record.start is not None and self.today < record.start:
            return TransitionError
        if to == Status.COMPLETED and finish is not None and self.today < finish:
            return TransitionError
        if to == Status.ASSESSED and (record.report is None or not person.reads(record.report)):
            return TransitionError
        return None

    def edit_refusal(self, who: str, record: Record, level: Level | None = None) -> Refusal:
        """What an edit of the record (a new label, or its own status again) should raise."""
        person = self.PEOPLE[who]
        if not person.reads(record.level):
            return Http404
        if not person.holds("editor", record.owner):
            return WriteDenied
        if level is not None and level != record.level and not person.reads(level):
            return EngagementChangeError
        return None

    def report_refusal(self, who: str, record: Record, level: Level, *, creating: bool) -> Refusal:
        """What writing (``creating``) or relabelling the record's report should raise."""
        person = self.PEOPLE[who]
        if not person.reads(record.level if creating else record.report):  # type: ignore[arg-type]
            return Http404
        if not person.holds("editor", record.owner):
            return WriteDenied
        if creating and (record.status not in REPORTABLE or record.report is not None):
            return ReportError
        if level != record.report and (not person.reads(level) or not level.covers(record.level)):
            return ReportError
        return None

    def state(self) -> list[list[object]]:
        return database_state(
            Engagement.objects.filter(key__startswith="sm-").order_by("key").values_list("key", "status", "label"),
            AfterActionReport.objects.order_by("pk").values_list("engagement", "label", "summary"),
        )

    def pick(self, data: st.DataObject, preferred: list[str]) -> str:
        """A record's key, mostly one of ``preferred`` (the records the rule gets furthest with)."""
        return data.draw(st.sampled_from(sorted(preferred) if preferred and steered(data) else sorted(self.records)))

    # --- the rules -------------------------------------------------------------------------------

    @initialize(
        who=st.sampled_from(["editor", "other_editor", "proposer"]),
        marking=st.sampled_from(["PUBLIC", "NATO RESTRICTED", "NATO CONFIDENTIAL"]),
        timing=st.sampled_from(sorted(TIMINGS)),
        status=st.sampled_from([Status.PROPOSED, Status.ONGOING, Status.COMPLETED]),
    )
    def first_record(self, who: str, marking: str, timing: str, status: str) -> None:
        """Every run starts with a record its creator may report on, or move towards a report."""
        self.create_as(who, marking, timing, status)

    @rule(
        who=st.sampled_from([*sorted(PEOPLE), "editor", "other_editor"]),
        marking=st.sampled_from(MARKINGS),
        timing=st.sampled_from(sorted(TIMINGS)),
        status=st.sampled_from(CREATED_IN),
    )
    def create(self, who: str, marking: str, timing: str, status: str) -> None:
        self.create_as(who, marking, timing, status)

    def create_as(self, who: str, marking: str, timing: str, status: str) -> None:
        person, level = self.PEOPLE[who], LEVELS[marking]
        days = TIMINGS[timing]
        start, end = (None, None) if days is None else (self.today + timedelta(d) for d in days)
        key = f"sm-{len(self.records)}"
        refusal: Refusal = None
        if not person.holds("editor", person.nation):
            refusal = WriteDenied
        elif not person.reads(level) or status == Status.ASSESSED:
            refusal = EngagementChangeError  # the label or the status field

        def write() -> None:
            engagement_create(
                acting_user=self.users[who],
                model=Exercise,
                kind=EngagementKind.EXERCISE,
                key=key,
                values={
                    "title": f"Stateful {key}",
                    "start_date": start,
                    "end_date": end,
                    "label": self.labels[marking],
                    "status": status,
                },
                participants=[],
                objectives=[],
            )

        if self.attempt("create", refusal, write):
            pk = Engagement.objects.get(key=key).pk
            self.records[key] = Record(pk, status, level, person.nation, who, who, start, end)
            self.expect_entries((AuditAction.CREATE, pk, who))

    @precondition(lambda self: self.records)
    @rule(data=st.data(), door=st.booleans())
    def move(self, data: st.DataObject, door: bool) -> None:
        key = self.pick(data, [key for key, record in self.records.items() if TRANSITIONS[record.status]])
        onward = TRANSITIONS[self.records[key].status]
        self.move_as(data, door, key, data.draw(st.sampled_from(onward if onward and steered(data) else STATUSES)))

    def move_as(self, data: st.DataObject, door: bool, key: str, to: str, movers: list[str] | None = None) -> None:
        """Move the record ``key`` to ``to``, by one of ``movers`` when given, else as ``actor`` chooses."""
        record = self.records[key]
        if not door and to == record.status:  # a PATCH of the status it has: an edit that changes nothing
            who, refusal = self.actor(data, lambda name: self.edit_refusal(name, record))
        elif movers:
            who = data.draw(st.sampled_from(movers))
            refusal = self.move_refusal(who, record, to)
        else:
            who, refusal = self.actor(data, lambda name: self.move_refusal(name, record, to))
        engagement, user = Engagement.objects.get(key=key), self.users[who]

        def write() -> None:
            if door:
                engagement_transition(acting_user=user, engagement=engagement, to=to)
            else:
                engagement_update(acting_user=user, engagement=engagement, values={"status": to})

        if not self.attempt("move", refusal, write, table=TransitionError if door else EngagementChangeError):
            return
        if to == record.status:
            self.expect_entries()
            return
        self.records[key] = replace(record, status=to, last_changer=who)
        self.expect_entries((AuditAction.UPDATE, record.pk, who))

    @precondition(lambda self: any(record.status == Status.COMPLETED for record in self.records.values()))
    @rule(data=st.data(), door=st.booleans())
    def assess(self, data: st.DataObject, door: bool) -> None:
        """The move the report rule governs, by anyone the write rule lets move the record: some may
        read its report and some may not (``move`` mostly picks those who may)."""
        completed = sorted(key for key, record in self.records.items() if record.status == Status.COMPLETED)
        reported = [key for key in completed if self.records[key].report is not None]
        key = data.draw(st.sampled_from(reported if reported and steered(data) else completed))
        record = self.records[key]
        movers = [
            name
            for name in sorted(self.PEOPLE)
            if self.move_refusal(name, record, Status.ASSESSED) not in (Http404, WriteDenied)
        ]
        self.move_as(data, door, key, Status.ASSESSED, movers)

    @precondition(lambda self: self.records)
    @rule(data=st.data(), marking=st.sampled_from(MARKINGS))
    def relabel(self, data: st.DataObject, marking: str) -> None:
        key = self.pick(data, [key for key, record in self.records.items() if record.report is not None])
        record, level = self.records[key], LEVELS[marking]
        who, refusal = self.actor(data, lambda name: self.edit_refusal(name, record, level))

        def write() -> None:
            engagement_update(
                acting_user=self.users[who],
                engagement=Engagement.objects.get(key=key),
                values={"label": self.labels[marking]},
            )

        if not self.attempt("relabel", refusal, write) or level == record.level:
            self.expect_entries()
            return
        expected = [(AuditAction.UPDATE, record.pk, who)]
        report = record.report
        if report is not None and not report.covers(level):  # the report rises with its engagement
            report = report.join(level)
            expected.append((AuditAction.UPDATE, AfterActionReport.objects.get(engagement=record.pk).pk, who))
        self.records[key] = replace(record, level=level, last_changer=who, report=report)
        self.expect_entries(*expected)

    @precondition(lambda self: self.records)
    @rule(data=st.data())
    def write_report(self, data: st.DataObject) -> None:
        key = self.pick(data, [k for k, r in self.records.items() if r.status in REPORTABLE and r.report is None])
        record = self.records[key]
        writers = [person for person in self.PEOPLE.values() if person.holds("editor", record.owner)]
        fitting = sorted(  # labels that cover the record and that one of its editors may give
            marking
            for marking, level in LEVELS.items()
            if level.covers(record.level) and any(person.reads(level) for person in writers)
        )
        marking = data.draw(st.sampled_from(fitting if fitting and steered(data) else MARKINGS))
        level = LEVELS[marking]
        who, refusal = self.actor(data, lambda name: self.report_refusal(name, record, level, creating=True))

        def write() -> None:
            report_create(
                acting_user=self.users[who],
                engagement=Engagement.objects.get(key=key),
                label=self.labels[marking],
                summary="What happened.",
            )

        if self.attempt("write_report", refusal, write):
            self.records[key] = replace(record, report=level)
            self.expect_entries((AuditAction.CREATE, AfterActionReport.objects.get(engagement=record.pk).pk, who))

    @precondition(lambda self: any(record.report for record in self.records.values()))
    @rule(data=st.data(), marking=st.sampled_from(MARKINGS))
    def relabel_report(self, data: st.DataObject, marking: str) -> None:
        key = data.draw(st.sampled_from(sorted(key for key, record in self.records.items() if record.report)))
        record, level = self.records[key], LEVELS[marking]
        who, refusal = self.actor(data, lambda name: self.report_refusal(name, record, level, creating=False))
        report = AfterActionReport.objects.get(engagement=record.pk)

        def write() -> None:
            report_update(acting_user=self.users[who], report=report, label=self.labels[marking])

        if not self.attempt("relabel_report", refusal, write) or level == record.report:
            self.expect_entries()
            return
        self.records[key] = replace(record, report=level)
        self.expect_entries((AuditAction.UPDATE, report.pk, who))

    # --- the invariants --------------------------------------------------------------------------

    @invariant()
    def the_database_is_the_model(self) -> None:
        stored = {
            key: (status, self.level_of(label))
            for key, status, label in Engagement.objects.filter(key__startswith="sm-").values_list(
                "key", "status", "label"
            )
        }
        assert stored == {key: (r.status, r.level) for key, r in self.records.items()}
        reports = {
            key: self.level_of(label)
            for key, label in AfterActionReport.objects.filter(engagement__key__startswith="sm-").values_list(
                "engagement__key", "label"
            )
        }
        assert reports == {key: r.report for key, r in self.records.items() if r.report is not None}

    @invariant()
    def assessed_only_with_a_report(self) -> None:
        assert not Engagement.objects.filter(
            key__startswith="sm-", status=Status.ASSESSED, after_action_report__isnull=True
        ).exists()

    @invariant()
    def a_report_covers_its_engagement(self) -> None:
        for engagement_label, report_label in AfterActionReport.objects.filter(
            engagement__key__startswith="sm-"
        ).values_list("engagement__label", "label"):
            assert self.level_of(report_label).covers(self.level_of(engagement_label))

    @invariant()
    def everyone_sees_what_they_read(self) -> None:
        """After every allowed write (a refused one changed nothing, as ``attempt`` checks)."""
        if not self.changed:
            return
        self.changed = False
        for name, person in self.PEOPLE.items():
            user = self.users[name]
            seen = set(Engagement.objects.visible_to(user).filter(key__startswith="sm-").values_list("key", flat=True))
            assert seen == {key for key, r in self.records.items() if person.reads(r.level)}
            reports = set(
                AfterActionReport.objects.visible_to(user)
                .filter(engagement__key__startswith="sm-")
                .values_list("engagement__key", flat=True)
            )
            assert reports == {key for key, r in self.records.items() if r.report and person.reads(r.report)}


def test_the_lifecycle_machine() -> None:
    run_state_machine_as_test(LifecycleMachine, settings=machine_settings(examples=20, steps=25))


def test_a_raised_engagement_raises_its_report() -> None:
    """What the machine found: relabelling an engagement above its report left the report below it."""
    editor = make_user("NLD", "SECRET", roles=("editor",))
    label = {marking: label_from_marking(marking) for marking in ("NATO RESTRICTED", "NATO CONFIDENTIAL REL TO FIN")}
    exercise = engagement_create(
        acting_user=editor,
        model=Exercise,
        kind=EngagementKind.EXERCISE,
        key="raised-report",
        values={"title": "Raised", "label": label["NATO RESTRICTED"], "status": Status.COMPLETED},
        participants=[],
        objectives=[],
    )
    report = report_create(acting_user=editor, engagement=exercise, label=label["NATO RESTRICTED"], summary="Done.")
    engagement_update(acting_user=None, engagement=exercise, values={"label": label["NATO CONFIDENTIAL REL TO FIN"]})
    report.refresh_from_db()
    assert report.label.marking == "NATO CONFIDENTIAL REL TO FIN"
    entry = AuditEntry.objects.filter(object_id=str(report.pk), action=AuditAction.UPDATE).get()
    assert entry.label_id == report.label_id
    assert not AfterActionReport.objects.visible_to(editor).filter(pk=report.pk).exists()
