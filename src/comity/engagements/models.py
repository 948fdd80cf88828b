"""Engagement records: one labelled base shared by every kind, kind-specific details beside it.

Kinds use Django's multi-table inheritance: every engagement is one ``Engagement`` row (so the
calendar, the label filter and the co-participation network query one table) and a kind adds
its own fields in a child table (``Exercise`` today; agreements, training, meetings, attachés,
CBMs and programme activities follow the same pattern).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from comity.core.models import LabelledModel
from comity.engagements.choices import (
    Achievement,
    ActivityRole,
    AgreementStatus,
    AgreementType,
    Domain,
    EngagementKind,
    MeasureType,
    MeetingLevel,
    ObjectiveLevel,
    ParticipantRole,
    Scenario,
    Service,
    Status,
    Workflow,
)
from comity.registry.models import Organisation, State


class Objective(LabelledModel):
    """A strategic goal, line of effort or objective that engagements serve (a tree)."""

    code = models.SlugField(max_length=64, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    level = models.CharField(max_length=16, choices=ObjectiveLevel.choices, default=ObjectiveLevel.OBJECTIVE)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    state = models.ForeignKey(
        State,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The nation or partner the objective is about, if it is about one.",
    )
    region = models.CharField(
        max_length=64, blank=True, help_text="The region the objective is about, in words (e.g. Black Sea)."
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    """A measurable indicator of an objective (it shares the objective's label)."""

    #: Its change-log entries carry the objective's label (``core.audit``).
    label_from: ClassVar[str] = "objective"

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=32, blank=True)
    baseline = models.FloatField(null=True, blank=True)
    target = models.FloatField(null=True, blank=True)
    due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["objective__code", "name"]

    def __str__(self) -> str:
        return self.name


class Engagement(LabelledModel):
    """The base of every engagement: what, when, where, who leads, status, objectives, source."""

    #: The names of the states the record names, as they were called on its date, by field
    #: (``lead``, and each of its kind's state fields): set by ``selectors.with_names_as_of``.
    names_as_of: dict[str, str | None]

    key = models.SlugField(max_length=100, unique=True, help_text="Natural key used by imports.")
    kind = models.CharField(max_length=16, choices=EngagementKind.choices, db_index=True)
    title = models.CharField(max_length=200)
    start_date = models.DateField(null=True, blank=True, db_index=True)
    end_date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=8,
        choices=[("day", "Day"), ("month", "Month")],
        default="day",
        help_text="'month' when the source gives only the month (dates then hold the first of it).",
    )
    location = models.CharField(max_length=200, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    lead_state = models.ForeignKey(State, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED, db_index=True)
    objectives = models.ManyToManyField(Objective, blank=True, related_name="engagements")
    personnel = models.PositiveIntegerField(null=True, blank=True, help_text="Total personnel, where public.")
    source = models.CharField(max_length=1000, blank=True)
    notes = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="engagement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def lead(self) -> str:
        """The lead as codes: an organisation (``NATO``) or the leading nations (``UKR;USA``)."""
        if self.lead_organisation_id:
            return self.lead_organisation.code  # type: ignore[union-attr]
        return ";".join(state.iso3 for state in self.lead_states())

    def lead_states(self) -> list[State]:
        """The leading nations behind ``lead``, by code: the participants in the lead role, else
        ``lead_state``; none when an organisation leads."""
        if self.lead_organisation_id:
            return []
        leads = sorted(
            (p.state for p in self.participants.all() if p.role == ParticipantRole.LEAD), key=lambda s: s.iso3
        )
        if leads:
            return leads
        return [self.lead_state] if self.lead_state_id else []  # type: ignore[list-item]


class EngagementParticipant(models.Model):
    """A nation's part in an engagement: its role and contribution."""

    #: Its change-log entries carry the engagement's label (``core.audit``).
    label_from: ClassVar[str] = "engagement"
    #: The state's name on the engagement's date: set by ``selectors.with_names_as_of``.
    name_as_of: str

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="participants")
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="engagement_roles")
    role = models.CharField(max_length=16, choices=ParticipantRole.choices, default=ParticipantRole.PARTICIPANT)
    personnel = models.PositiveIntegerField(null=True, blank=True)
    platforms = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["role", "state__name"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "state", "role"], name="participant_unique_role"),
        ]
        indexes = [models.Index(fields=["state", "engagement"])]

    def __str__(self) -> str:
        return f"{self.state.iso3} {self.role} in {self.engagement_id}"


class Exercise(Engagement):
    """A joint exercise, with the parameters the Vienna Document counts."""

    domain = models.CharField(max_length=16, choices=Domain.choices, blank=True)
    scenario = models.CharField(max_length=24, choices=Scenario.choices, blank=True)
    series = models.CharField(max_length=100, blank=True, db_index=True)
    battle_tanks = models.PositiveIntegerField(null=True, blank=True)
    armoured_combat_vehicles = models.PositiveIntegerField(null=True, blank=True)
    artillery_pieces = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "title"]


class MenuItem(LabelledModel):
    """An activity offered in the cooperation menu (the catalogue partners choose from)."""

    code = models.SlugField(max_length=64, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    provider = models.CharField(max_length=200, blank=True, help_text="e.g. NATO School Oberammergau")
    objectives = models.ManyToManyField(Objective, blank=True, related_name="menu_items")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title


class PartnerProgramme(LabelledModel):
    """One partner's tailored programme for a cycle, drawn from the cooperation menu."""

    partner = models.ForeignKey(State, on_delete=models.PROTECT, related_name="programmes")
    cycle = models.CharField(max_length=16, help_text="e.g. 2025-2026")
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["partner__name", "cycle"]
        constraints = [models.UniqueConstraint(fields=["partner", "cycle"], name="programme_one_per_cycle")]

    def __str__(self) -> str:
        return self.title


class ProgrammeActivity(Engagement):
    """An instance of a menu item in a partner's programme, run through the PRIME workflow."""

    programme = models.ForeignKey(PartnerProgramme, on_delete=models.PROTECT, related_name="activities")
    menu_item = models.ForeignKey(MenuItem, on_delete=models.PROTECT, related_name="activities")
    workflow = models.CharField(max_length=16, choices=Workflow.choices, default=Workflow.PROPOSED)
    feedback = models.TextField(blank=True, help_text="The feedback report at the end of the activity.")

    class Meta:
        ordering = ["start_date", "title"]


class ActivityAssignment(models.Model):
    """Who holds which PRIME role on an activity (users for proposer/approver, nations invited)."""

    #: Its change-log entries carry the activity's label: who was invited is as secret as the activity.
    label_from: ClassVar[str] = "activity"

    activity = models.ForeignKey(ProgrammeActivity, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(max_length=16, choices=ActivityRole.choices)
    user = models.ForeignKey("core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    state = models.ForeignKey(State, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created"]

    def __str__(self) -> str:
        return f"{self.role}: {self.user or self.state}"


class DefenceAgreement(Engagement):
    """A bilateral or multilateral defence agreement; the parties are its participants."""

    agreement_type = models.CharField(max_length=24, choices=AgreementType.choices)
    agreement_status = models.CharField(max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.SIGNED)
    signed_on = models.DateField(null=True, blank=True)
    in_force_on = models.DateField(null=True, blank=True)
    terminated_on = models.DateField(null=True, blank=True)


class TrainingActivity(Engagement):
    """Education and training: a course at a provider, seats offered, participants per nation."""

    provider = models.CharField(max_length=200, help_text="e.g. NATO School Oberammergau")
    course = models.CharField(max_length=200, blank=True)
    seats = models.PositiveIntegerField(null=True, blank=True)


class DiplomaticMeeting(Engagement):
    """A meeting of political dialogue, with the decisions it recorded."""

    level = models.CharField(max_length=24, choices=MeetingLevel.choices)
    decisions = models.TextField(blank=True)


class AttacheAccreditation(Engagement):
    """A defence attaché post: who sends, to whom, for which service, from which embassy."""

    sending_state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="attaches_sent")
    host_state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="attaches_hosted")
    service = models.CharField(max_length=16, choices=Service.choices, default=Service.DEFENCE)
    resident = models.BooleanField(default=True)
    embassy_state = models.ForeignKey(
        State,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For a non-resident attaché: the state whose capital the embassy is in.",
    )


class ConfidenceBuildingMeasure(Engagement):
    """A Vienna Document measure, possibly about an exercise (e.g. its prior notification)."""

    measure = models.CharField(max_length=24, choices=MeasureType.choices)
    related_exercise = models.ForeignKey(
        Exercise, on_delete=models.SET_NULL, null=True, blank=True, related_name="measures"
    )
    due_date = models.DateField(null=True, blank=True)


class AfterActionReport(LabelledModel):
    """What an engagement achieved and taught: one report per engagement, after it has run.

    Its label is at least the engagement's (``core.derivation``: a report about a record is never
    kept below it) and its owner is the engagement's, so the engagement's editors write it. The
    rows beside it (achievements, observations, feedback) share its label through ``label_from``.
    """

    engagement = models.OneToOneField(Engagement, on_delete=models.PROTECT, related_name="after_action_report")
    summary = models.TextField(help_text="What happened, in a few sentences.")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated", "pk"]

    def __str__(self) -> str:
        return f"After-action report {self.engagement_id}"


class ObjectiveAchievement(models.Model):
    """How far the engagement met one of its objectives (a rating from ``Achievement``, and why)."""

    #: Its change-log entries carry the report's label (``core.audit``).
    label_from: ClassVar[str] = "report"

    report = models.ForeignKey(AfterActionReport, on_delete=models.CASCADE, related_name="achievements")
    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=16, choices=Achievement.choices, default=Achievement.NOT_ASSESSED)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["objective__code"]
        constraints = [
            models.UniqueConstraint(fields=["report", "objective"], name="achievement_one_per_objective"),
        ]

    def __str__(self) -> str:
        return f"{self.objective_id}: {self.rating}"


class ReportObservation(models.Model):
    """One observation of the report, written up as NATO's lessons-learned practice does:
    observation, discussion, conclusion, recommendation (the JALLC handbook's "ODCR")."""

    label_from: ClassVar[str] = "report"

    report = models.ForeignKey(AfterActionReport, on_delete=models.CASCADE, related_name="observations")
    position = models.PositiveSmallIntegerField()
    observation = models.TextField()
    discussion = models.TextField(blank=True)
    conclusion = models.TextField(blank=True)
    recommendation = models.TextField(blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["report", "position"], name="observation_unique_position")]

    def __str__(self) -> str:
        return f"Observation {self.position}"


class ParticipantFeedback(models.Model):
    """What a participating nation said of a partnership (PRIME) activity."""

    label_from: ClassVar[str] = "report"

    report = models.ForeignKey(AfterActionReport, on_delete=models.CASCADE, related_name="feedback")
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()

    class Meta:
        ordering = ["state__iso3"]
        constraints = [models.UniqueConstraint(fields=["report", "state"], name="feedback_one_per_nation")]

    def __str__(self) -> str:
        return f"Feedback of {self.state_id}"
