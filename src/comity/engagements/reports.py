"""Writes of after-action reports: create and change one, with its achievements, observations
and participants' feedback, in one transaction with its change-log entry.

The rules, each checked here whichever path (API, page) asks:

* the report is written by an editor of the engagement's owner (``core.authority``), on an
  engagement the writer may see (a hidden one answers 404, as reading it does);
* the engagement must have run (ongoing, completed or assessed);
* one report per engagement: a taken engagement answers the same words whether or not the writer
  may see the report that holds it;
* the label is one the writer may read and covers the engagement's (``core.derivation``: a report
  about a record is never labelled below it), and it rises with the engagement's
  (``report_follows``);
* achievements name objectives of the engagement that the writer may see; achievements of the
  objectives hidden from the writer are kept as they are and never named in an answer;
* participants' feedback belongs to partnership (PRIME) activities, one row per participating nation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction

from comity.core.audit import audit_entry, audit_record, snapshot
from comity.core.authority import WriteAction
from comity.core.derivation import least_upper_bound, uncovered_by
from comity.core.labels import label_get_or_create
from comity.core.models.audit import AuditAction
from comity.core.permissions import require_write
from comity.core.selectors import access_or_404, may_see_label
from comity.engagements.choices import Achievement, EngagementKind, Status
from comity.engagements.models import (
    AfterActionReport,
    Engagement,
    EngagementParticipant,
    Objective,
    ObjectiveAchievement,
    ParticipantFeedback,
    ReportObservation,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from comity.core.models import ConfidentialityLabel, User
    from comity.registry.models import State

#: The statuses in which an engagement has run, so that a report on it can be written.
REPORTABLE = (Status.ONGOING, Status.COMPLETED, Status.ASSESSED)

#: The answer to an engagement that already has a report, visible to the writer or not.
REPORT_TAKEN = "this engagement already has an after-action report; change that one instead"

#: The answer to an objective that is not the engagement's, or that the writer may not see.
NOT_AN_OBJECTIVE = "{code!r} is not an objective of this engagement that you may see"

#: The parts of one observation, in NATO's lessons-learned order (the JALLC handbook's ODCR).
OBSERVATION_PARTS = ("observation", "discussion", "conclusion", "recommendation")


class ReportError(ValueError):
    """A report that may not be written as asked; ``field`` names the value at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class AchievementInput:
    objective: Objective
    rating: str = Achievement.NOT_ASSESSED
    text: str = ""


@dataclass(frozen=True)
class ObservationInput:
    observation: str
    discussion: str = ""
    conclusion: str = ""
    recommendation: str = ""


@dataclass(frozen=True)
class FeedbackInput:
    state: State
    text: str


def report_snapshot(report: AfterActionReport) -> dict[str, Any]:
    """The report as the change log keeps it: its fields and every row beside it, the rows of
    hidden objectives included (the entry is labelled to cover those objectives)."""
    return {
        **snapshot(report),
        "achievements": [
            {"objective": a.objective.code, "rating": a.rating, "text": a.text}
            for a in ObjectiveAchievement.objects.filter(report=report).select_related("objective")
        ],
        "observations": [
            {part: getattr(o, part) for part in OBSERVATION_PARTS}
            for o in ReportObservation.objects.filter(report=report)
        ],
        "feedback": [
            {"nation": f.state.iso3, "text": f.text}
            for f in ParticipantFeedback.objects.filter(report=report).select_related("state")
        ],
    }


def _check_label(acting_user: User | None, label: ConfidentialityLabel, engagement: Engagement) -> None:
    if acting_user is not None and not may_see_label(acting_user, label):
        raise ReportError("label", "you may not give a report a label above what you may see")
    needed = uncovered_by(label, [engagement.label])
    if needed is not None:
        raise ReportError(
            "label",
            f"a report is labelled at least as high as its engagement: give it at least {needed} "
            f"(you chose {label.marking})",
        )


def _check_summary(summary: str) -> str:
    if not summary.strip():
        raise ReportError("summary", "write a summary of what happened")
    return summary.strip()


def _check_achievements(
    acting_user: User | None, engagement: Engagement, achievements: list[AchievementInput]
) -> list[AchievementInput]:
    """Objectives of the engagement the writer may see, each once, with a rating of the scale."""
    objectives = engagement.objectives.all() if acting_user is None else engagement.objectives.visible_to(acting_user)
    allowed = set(objectives.values_list("pk", flat=True))
    seen: set[int] = set()
    for item in achievements:
        if item.objective.pk not in allowed:
            raise ReportError("achievements", NOT_AN_OBJECTIVE.format(code=item.objective.code))
        if item.objective.pk in seen:
            raise ReportError("achievements", f"{item.objective.code!r} is rated twice")
        if item.rating not in Achievement.values:
            raise ReportError("achievements", f"{item.rating!r} is not a rating; use {', '.join(Achievement.values)}")
        seen.add(item.objective.pk)
    return achievements


def _check_observations(observations: list[ObservationInput]) -> list[ObservationInput]:
    for number, item in enumerate(observations, start=1):
        if not item.observation.strip():
            raise ReportError("observations", f"observation {number} is empty: say what was observed")
    return observations


def _check_feedback(engagement: Engagement, feedback: list[FeedbackInput]) -> list[FeedbackInput]:
    """Feedback of nations that took part in a partnership activity, one row each."""
    if not feedback:
        return feedback
    if engagement.kind != EngagementKind.PROGRAMME:
        raise ReportError("feedback", "participants' feedback is recorded for partnership (PRIME) activities only")
    participants = set(
        EngagementParticipant.objects.filter(engagement=engagement).values_list("state__iso3", flat=True)
    )
    seen: set[str] = set()
    for item in feedback:
        iso3 = item.state.iso3
        if iso3 not in participants:
            raise ReportError("feedback", f"{iso3} did not take part in this activity")
        if iso3 in seen:
            raise ReportError("feedback", f"{iso3} gives feedback twice")
        if not item.text.strip():
            raise ReportError("feedback", f"the feedback of {iso3} is empty")
        seen.add(iso3)
    return feedback


def _write_rows(
    report: AfterActionReport,
    *,
    achievements: list[AchievementInput] | None,
    keep: list[ObjectiveAchievement],
    observations: list[ObservationInput] | None,
    feedback: list[FeedbackInput] | None,
) -> None:
    """Replace the rows that were given; ``keep`` are achievements of hidden objectives, left as they are."""
    if achievements is not None:
        ObjectiveAchievement.objects.filter(report=report).exclude(pk__in=[a.pk for a in keep]).delete()
        ObjectiveAchievement.objects.bulk_create(
            ObjectiveAchievement(report=report, objective=a.objective, rating=a.rating, text=a.text.strip())
            for a in achievements
        )
    if observations is not None:
        ReportObservation.objects.filter(report=report).delete()
        ReportObservation.objects.bulk_create(
            ReportObservation(report=report, position=position, **{p: getattr(o, p).strip() for p in OBSERVATION_PARTS})
            for position, o in enumerate(observations, start=1)
        )
    if feedback is not None:
        ParticipantFeedback.objects.filter(report=report).delete()
        ParticipantFeedback.objects.bulk_create(
            ParticipantFeedback(report=report, state=f.state, text=f.text.strip()) for f in feedback
        )


def _rows_wanted(
    before: dict[str, Any],
    *,
    achievements: list[AchievementInput] | None,
    keep: list[ObjectiveAchievement],
    observations: list[ObservationInput] | None,
    feedback: list[FeedbackInput] | None,
) -> dict[str, Any]:
    """The rows as ``report_snapshot`` would show them after the change, to tell a change from none."""
    rows = {name: before[name] for name in ("achievements", "observations", "feedback")}
    if achievements is not None:
        kept = [{"objective": a.objective.code, "rating": a.rating, "text": a.text} for a in keep]
        new = [{"objective": a.objective.code, "rating": a.rating, "text": a.text.strip()} for a in achievements]
        rows["achievements"] = sorted([*kept, *new], key=lambda row: row["objective"])
    if observations is not None:
        rows["observations"] = [{p: getattr(o, p).strip() for p in OBSERVATION_PARTS} for o in observations]
    if feedback is not None:
        rows["feedback"] = sorted(
            ({"nation": f.state.iso3, "text": f.text.strip()} for f in feedback), key=lambda row: row["nation"]
        )
    return rows


def _linked_objectives(report: AfterActionReport) -> list[Objective]:
    return list(Objective.objects.filter(pk__in=report.achievements.values("objective")))


@transaction.atomic
def report_create(
    *,
    acting_user: User | None,
    engagement: Engagement,
    label: ConfidentialityLabel,
    summary: str,
    achievements: Sequence[AchievementInput] = (),
    observations: Sequence[ObservationInput] = (),
    feedback: Sequence[FeedbackInput] = (),
) -> AfterActionReport:
    """Write the after-action report of an engagement that has run.

    Raises ``Http404`` for an engagement the writer may not see, ``WriteDenied`` (403) when they
    are no editor of its owner, ``ReportError`` (400, naming the field) for anything else.
    ``acting_user`` None is the system (the demo step): no write rule, the label floor still holds.
    """
    records = Engagement.objects.select_for_update(of=("self",)).select_related("label")
    if acting_user is None:
        record = records.get(pk=engagement.pk)
    else:
        record = access_or_404(records, acting_user, pk=engagement.pk)
        require_write(acting_user, WriteAction.CREATE, None, record.owner)
    return _create(
        acting_user,
        record,
        label=label,
        summary=summary,
        achievements=achievements,
        observations=observations,
        feedback=feedback,
    )


def partner_activity_report(*, acting_user: User, activity: Engagement, feedback: str) -> AfterActionReport:
    """The after-action report a PRIME feedback step files for its activity (``prime.activity_report``).

    The PRIME step has already applied its own rule (the proposer or approver, in the role they
    acted in), which is the write rule for this report; the feedback is its summary, at the
    activity's label. An activity that already has a report keeps it.
    """
    existing = AfterActionReport.objects.filter(engagement=activity.pk).first()
    if existing is not None:
        return existing
    record = Engagement.objects.select_for_update(of=("self",)).select_related("label").get(pk=activity.pk)
    return _create(acting_user, record, label=record.label, summary=feedback)


def _create(
    acting_user: User | None,
    record: Engagement,
    *,
    label: ConfidentialityLabel,
    summary: str,
    achievements: Sequence[AchievementInput] = (),
    observations: Sequence[ObservationInput] = (),
    feedback: Sequence[FeedbackInput] = (),
) -> AfterActionReport:
    """Check and write a report of ``record``, whose write rule the caller has applied."""
    if record.status not in REPORTABLE:
        raise ReportError(
            "engagement",
            f"an after-action report follows the engagement; it is {record.get_status_display().lower()}, "
            "so write the report once it is ongoing or completed",
        )
    if AfterActionReport.objects.filter(engagement=record).exists():
        raise ReportError("engagement", REPORT_TAKEN)
    _check_label(acting_user, label, record)
    summary = _check_summary(summary)
    achievements = _check_achievements(acting_user, record, list(achievements))
    observations = _check_observations(list(observations))
    feedback = _check_feedback(record, list(feedback))
    report = AfterActionReport.objects.create(engagement=record, label=label, owner=record.owner, summary=summary)
    _write_rows(report, achievements=achievements, keep=[], observations=observations, feedback=feedback)
    audit_record(
        audit_entry(
            acting_user=acting_user,
            action=AuditAction.CREATE,
            instance=report,
            before=None,
            after=report_snapshot(report),
            linked=_linked_objectives(report),
        )
    )
    return report


@transaction.atomic
def report_update(
    *,
    acting_user: User | None,
    report: AfterActionReport,
    label: ConfidentialityLabel | None = None,
    summary: str | None = None,
    achievements: list[AchievementInput] | None = None,
    observations: list[ObservationInput] | None = None,
    feedback: list[FeedbackInput] | None = None,
) -> AfterActionReport:
    """Change a report; what is None stays as it is, a given list replaces the rows it names.

    Given achievements replace those of the objectives the writer may see; those of objectives
    hidden from them stay. Nothing is written (and no change-log entry) when nothing changed.
    """
    queryset = AfterActionReport.objects.select_for_update(of=("self",)).select_related("engagement__label")
    if acting_user is None:
        current = queryset.get(pk=report.pk)
    else:
        current = access_or_404(queryset, acting_user, pk=report.pk)
        require_write(acting_user, WriteAction.CHANGE, current, current.owner)
    engagement = current.engagement
    if label is not None and label.pk != current.label_id:
        _check_label(acting_user, label, engagement)
        current.label = label
    if summary is not None:
        current.summary = _check_summary(summary)
    hidden: list[ObjectiveAchievement] = []
    if achievements is not None:
        achievements = _check_achievements(acting_user, engagement, achievements)
        objectives = Objective.objects.all() if acting_user is None else Objective.objects.visible_to(acting_user)
        visible = objectives.values("pk")
        hidden = list(
            ObjectiveAchievement.objects.filter(report=current)
            .exclude(objective__in=visible)
            .select_related("objective")
        )
    if observations is not None:
        observations = _check_observations(observations)
    if feedback is not None:
        feedback = _check_feedback(engagement, feedback)

    before = report_snapshot(AfterActionReport.objects.get(pk=current.pk))
    wanted = _rows_wanted(before, achievements=achievements, keep=hidden, observations=observations, feedback=feedback)
    if {**snapshot(current), **wanted, "updated": None} == {**before, "updated": None}:
        return current  # nothing changed: nothing is written
    current.save()
    _write_rows(current, achievements=achievements, keep=hidden, observations=observations, feedback=feedback)
    after = report_snapshot(current)
    audit_record(
        audit_entry(
            acting_user=acting_user,
            action=AuditAction.UPDATE,
            instance=current,
            before=before,
            after=after,
            linked=_linked_objectives(current),
        )
    )
    return current


def report_follows(*, acting_user: User | None, engagement: Engagement) -> None:
    """Raise the report of a relabelled engagement to the least upper bound of both labels.

    A report about a record is never labelled below it; without this, raising an engagement's
    label would leave its report (which names the engagement and says what it achieved) readable
    by those who may no longer read the engagement. The engagement's write rule, which allowed
    the relabel, decides the rise: the writer is not asked to read the report, and the rise tells
    them nothing about its label. Lowering the engagement leaves the report where it is. Raises
    ``ReportError`` on ``label`` when the two labels have no common bound (two national policies).
    """
    report = (
        AfterActionReport.objects.select_for_update(of=("self",))
        .select_related("label")
        .filter(engagement=engagement.pk)
        .first()
    )
    if report is None or uncovered_by(report.label, [engagement.label]) is None:
        return
    bound = least_upper_bound([report.label.to_spec(), engagement.label.to_spec()])
    if bound is None:
        raise ReportError("label", "the after-action report cannot follow this label; choose one of the same policy")
    before = report_snapshot(report)
    report.label = label_get_or_create(bound)
    report.save(update_fields=["label", "updated"])
    audit_record(
        audit_entry(
            acting_user=acting_user,
            action=AuditAction.UPDATE,
            instance=report,
            before=before,
            after=report_snapshot(report),
            linked=_linked_objectives(report),
        )
    )
