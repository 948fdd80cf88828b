"""Reads of the objectives' progress (AM&E): measurements, indicators' status, the tree, a page.

Every figure here is computed from the measurements the viewer may see: a measurement is read
only when its own label, its objective's and every piece of its evidence's are readable (a
report's engagement included). What is hidden is absent, not named and not counted; the pages
say that each figure is computed from the records the viewer may see, whoever the viewer is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from comity.assessment.choices import MeasurementOrigin, ProgressStatus
from comity.assessment.models import EVIDENCE_FIELDS, Measurement
from comity.assessment.status import Point, Progress, objective_status
from comity.core.attachments.selectors import attachments_visible
from comity.core.banner import LABEL_PREFETCH, LABEL_SELECT
from comity.core.selectors import access_or_404
from comity.engagements.models import AfterActionReport, Engagement, Indicator, Objective, ObjectiveAchievement
from comity.engagements.views import detail_url

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from comity.core.models import ConfidentialityLabel, User


#: What every page and answer says about its figures, whatever the viewer may or may not see.
COMPUTED_FROM = "Computed from the records you may see."

#: The order in which an objective's summary takes its worst indicator.
SEVERITY = (ProgressStatus.OFF_TRACK, ProgressStatus.AT_RISK, ProgressStatus.ON_TRACK, ProgressStatus.NO_DATA)


def evidence_reports(user: User | AnonymousUser) -> QuerySet[AfterActionReport]:
    """The after-action reports the user may cite or read as evidence: theirs and their engagement's
    labels both readable (the page names the engagement's title beside the report)."""
    return AfterActionReport.objects.visible_to(user).filter(  # type: ignore[arg-type]
        engagement__in=Engagement.objects.visible_to(user).values("pk")  # type: ignore[arg-type]
    )


def measurements_visible(user: User | AnonymousUser) -> QuerySet[Measurement]:
    """Measurements the user may see, with their evidence, decided in SQL."""
    reports = evidence_reports(user)
    return (
        Measurement.objects.visible_to(user)  # type: ignore[arg-type]
        .filter(indicator__objective__in=Objective.objects.visible_to(user).values("pk"))  # type: ignore[arg-type]
        .filter(Q(report__isnull=True) | Q(report__in=reports.values("pk")))
        .filter(Q(engagement__isnull=True) | Q(engagement__in=Engagement.objects.visible_to(user).values("pk")))  # type: ignore[arg-type]
        .filter(Q(attachment__isnull=True) | Q(attachment__in=attachments_visible(user).values("pk")))
        .select_related(
            "indicator__objective",
            "report__engagement",
            "engagement",
            "attachment",
            *LABEL_SELECT,
            *(f"{link}__{path}" for link in EVIDENCE_FIELDS for path in LABEL_SELECT),
        )
        .prefetch_related(*LABEL_PREFETCH, *(f"{link}__{path}" for link in EVIDENCE_FIELDS for path in LABEL_PREFETCH))
    )


def measurement_or_404(user: User | AnonymousUser, pk: object) -> Measurement:
    """One measurement the user may see; missing and hidden answer alike."""
    return access_or_404(measurements_visible(user), user, pk=pk)


def objectives_visible(user: User | AnonymousUser) -> QuerySet[Objective]:
    return (
        Objective.objects.visible_to(user)  # type: ignore[arg-type]
        .select_related("parent", "state", *LABEL_SELECT)
        .prefetch_related("indicators", *LABEL_PREFETCH)
    )


def objective_or_404(user: User | AnonymousUser, code: str) -> Objective:
    return access_or_404(objectives_visible(user), user, code=code)


@dataclass(frozen=True)
class EvidenceLink:
    """One thing a figure rests on, as the page links it: what it is, its name, where it is."""

    kind: str
    text: str
    url: str
    label: ConfidentialityLabel | None


def evidence_of(measurement: Measurement) -> list[EvidenceLink]:
    """The evidence of a measurement read through ``measurements_visible`` (so all of it visible)."""
    links = []
    if measurement.report is not None:
        engagement = measurement.report.engagement
        url = reverse("engagements:report", args=[engagement.key])
        links.append(EvidenceLink("After-action report", engagement.title, url, measurement.report.label))
    if measurement.engagement is not None:
        record = measurement.engagement
        links.append(EvidenceLink("Engagement", record.title, detail_url(record), record.label))
    if measurement.attachment is not None:
        attachment = measurement.attachment
        url = reverse("attachment-download", args=[attachment.pk])
        links.append(EvidenceLink("Document", attachment.filename, url, attachment.label))
    if measurement.origin == MeasurementOrigin.COMPUTED:
        links.append(EvidenceLink(f"Computed by {measurement.computed_by}", measurement.provenance, "", None))
    return links


@dataclass(frozen=True)
class IndicatorProgress:
    """An indicator with the measurements the viewer may see and the status they give."""

    indicator: Indicator
    measurements: list[Measurement]
    progress: Progress

    def rows(self) -> list[tuple[Measurement, list[EvidenceLink]]]:
        """Each measurement with the evidence behind it, for the page's table."""
        return [(m, evidence_of(m)) for m in self.measurements]

    def chart(self) -> dict[str, object]:
        """Plain data for the page's chart (``json_script``): the points and the expected line."""
        points = [[m.date.isoformat(), m.value] for m in self.measurements]
        indicator = self.indicator
        line = []
        if self.measurements and indicator.baseline is not None and indicator.target is not None and indicator.due:
            line = [
                [self.measurements[0].date.isoformat(), indicator.baseline],
                [indicator.due.isoformat(), indicator.target],
            ]
        return {
            "id": indicator.pk,
            "name": indicator.name,
            "unit": indicator.unit,
            "target": indicator.target,
            "points": points,
            "expected": line,
        }


def _progress(indicator: Indicator, measurements: list[Measurement], today: date) -> IndicatorProgress:
    points = [Point(m.date, m.value) for m in measurements]
    status = objective_status(indicator.baseline, indicator.target, indicator.due, points, today)
    return IndicatorProgress(indicator, measurements, status)


def indicators_progress(
    user: User | AnonymousUser, objectives: list[Objective], today: date | None = None
) -> dict[int, list[IndicatorProgress]]:
    """Per objective (by id), its indicators' progress from the measurements the user may see."""
    today = today or timezone.localdate()
    by_indicator: dict[int, list[Measurement]] = {}
    rows = measurements_visible(user).filter(indicator__objective__in=[o.pk for o in objectives]).order_by("date", "pk")
    for measurement in rows:
        by_indicator.setdefault(measurement.indicator_id, []).append(measurement)
    return {
        objective.pk: [_progress(i, by_indicator.get(i.pk, []), today) for i in objective.indicators.all()]
        for objective in objectives
    }


def summary_status(progress: list[IndicatorProgress]) -> ProgressStatus:
    """An objective's status: its worst indicator's, no data when none has data."""
    return _worst({p.progress.status for p in progress})


@dataclass
class TreeNode:
    objective: Objective
    status: ProgressStatus
    children: list[TreeNode] = field(default_factory=list)


def _worst(statuses: set[ProgressStatus]) -> ProgressStatus:
    return next((s for s in SEVERITY if s in statuses), ProgressStatus.NO_DATA)


def _roll_up(node: TreeNode) -> ProgressStatus:
    """A node's status becomes the worst of its own and its (visible) descendants' with data."""
    node.status = _worst({node.status, *(_roll_up(child) for child in node.children)})
    return node.status


def objectives_tree(user: User | AnonymousUser) -> list[TreeNode]:
    """The objectives the user may see as a tree, each with the worst status of its indicators and
    of the objectives under it that the user may see; one under a hidden parent stands at the top,
    without naming the parent."""
    objectives = list(objectives_visible(user))
    progress = indicators_progress(user, objectives)
    nodes = {o.pk: TreeNode(o, summary_status(progress[o.pk])) for o in objectives}
    roots = []
    for objective in objectives:
        parent = nodes.get(objective.parent_id) if objective.parent_id else None
        (parent.children if parent else roots).append(nodes[objective.pk])
    for root in roots:
        _roll_up(root)
    return roots


@dataclass(frozen=True)
class Rating:
    """How an after-action report the viewer may see rated the objective."""

    report: AfterActionReport
    rating: str
    text: str
    url: str


@dataclass(frozen=True)
class ObjectivePage:
    objective: Objective
    parent: Objective | None
    children: list[Objective]
    engagements: list[tuple[Engagement, str]]
    ratings: list[Rating]
    indicators: list[IndicatorProgress]
    status: ProgressStatus


def _ratings(user: User | AnonymousUser, objective: Objective) -> list[Rating]:
    """The objective's ratings in the after-action reports the user may see (their engagements too)."""
    reports = (
        AfterActionReport.objects.visible_to(user)  # type: ignore[arg-type]
        .filter(engagement__in=Engagement.objects.visible_to(user).values("pk"))  # type: ignore[arg-type]
        .select_related("engagement", *LABEL_SELECT)
        .prefetch_related(*LABEL_PREFETCH)
    )
    rows = ObjectiveAchievement.objects.filter(objective=objective, report__in=reports.values("pk"))
    by_report = {r.pk: r for r in reports.filter(pk__in=rows.values("report"))}
    return [
        Rating(
            by_report[row.report_id],
            row.get_rating_display(),
            row.text,
            reverse("engagements:report", args=[by_report[row.report_id].engagement.key]),
        )
        for row in rows.order_by("report__engagement__start_date", "pk")
    ]


def objective_page(user: User | AnonymousUser, code: str) -> ObjectivePage:
    """An objective the user may see, with what it links to that they may see; 404 otherwise."""
    objective = objective_or_404(user, code)
    visible = objectives_visible(user)
    parent = visible.filter(pk=objective.parent_id).first() if objective.parent_id else None
    children = list(visible.filter(parent=objective))
    engagements = list(
        Engagement.objects.visible_to(user)
        .filter(objectives=objective)
        .select_related(*LABEL_SELECT)
        .order_by("start_date", "key")  # type: ignore[arg-type]
    )
    indicators = indicators_progress(user, [objective])[objective.pk]
    return ObjectivePage(
        objective,
        parent,
        children,
        [(e, detail_url(e)) for e in engagements],
        _ratings(user, objective),
        indicators,
        summary_status(indicators),
    )
