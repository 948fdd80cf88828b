"""API of after-action reports: ``/api/engagements/reports/`` (list, record) and
``/api/engagements/reports/{engagement key}/`` (read, change, ``history/``).

A report is named by its engagement's key (there is one per engagement), never by a sequential
id. Writes go through ``engagements.reports``, the service the pages call; a report hidden from
the caller answers 404 exactly as one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from comity.core.api.history import HistoryMixin
from comity.core.api.relations import VisibleSlugRelatedField
from comity.core.api.serializers import LabelField
from comity.engagements import reports, selectors
from comity.engagements.choices import Achievement
from comity.engagements.models import (
    AfterActionReport,
    Engagement,
    Objective,
    ObjectiveAchievement,
    ParticipantFeedback,
    ReportObservation,
)
from comity.registry.models import State

#: The longest text one field of a report takes (a report is prose, not an archive).
MAX_TEXT = 20_000


def _text(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(max_length=MAX_TEXT, **kwargs)


class AchievementSerializer(serializers.ModelSerializer):
    """How far one objective was met; ``objective`` is the objective's code."""

    objective = VisibleSlugRelatedField(slug_field="code", queryset=Objective.objects)
    rating = serializers.ChoiceField(choices=Achievement.choices, default=Achievement.NOT_ASSESSED)
    text = _text(required=False, allow_blank=True, default="")

    class Meta:
        model = ObjectiveAchievement
        fields = ["objective", "rating", "text"]


class ObservationSerializer(serializers.ModelSerializer):
    """One observation: what was observed, its discussion, the conclusion, the recommendation."""

    observation = _text()
    discussion = _text(required=False, allow_blank=True, default="")
    conclusion = _text(required=False, allow_blank=True, default="")
    recommendation = _text(required=False, allow_blank=True, default="")

    class Meta:
        model = ReportObservation
        fields = list(reports.OBSERVATION_PARTS)


class FeedbackSerializer(serializers.ModelSerializer):
    """What one participating nation (ISO alpha-3) said of a partnership activity."""

    nation = serializers.SlugRelatedField(slug_field="iso3", queryset=State.objects.all(), source="state")
    text = _text()

    class Meta:
        model = ParticipantFeedback
        fields = ["nation", "text"]


class AfterActionReportSerializer(serializers.ModelSerializer):
    """A report; lists given on a change replace the rows they hold (achievements of objectives
    the caller may not see stay, unseen)."""

    engagement = VisibleSlugRelatedField(
        slug_field="key", queryset=Engagement.objects, help_text="The engagement's key; it cannot change."
    )
    label = LabelField(help_text="At least the engagement's label, and one the caller may read.")
    summary = _text()
    achievements = AchievementSerializer(many=True, required=False)
    observations = ObservationSerializer(many=True, required=False)
    feedback = FeedbackSerializer(many=True, required=False, help_text="Partnership (PRIME) activities only.")

    class Meta:
        model = AfterActionReport
        fields = [
            "engagement",
            "label",
            "owner",
            "summary",
            "achievements",
            "observations",
            "feedback",
            "created",
            "updated",
        ]
        read_only_fields = ["owner", "created", "updated"]


def _inputs(data: dict[str, Any]) -> dict[str, Any]:
    """The validated lists as the service's inputs (absent lists stay absent)."""
    out: dict[str, Any] = {}
    if "achievements" in data:
        out["achievements"] = [
            reports.AchievementInput(
                objective=a["objective"], rating=a.get("rating", Achievement.NOT_ASSESSED), text=a.get("text", "")
            )
            for a in data["achievements"]
        ]
    if "observations" in data:
        out["observations"] = [
            reports.ObservationInput(**{part: o.get(part, "") for part in reports.OBSERVATION_PARTS})
            for o in data["observations"]
        ]
    if "feedback" in data:
        out["feedback"] = [reports.FeedbackInput(state=f["state"], text=f.get("text", "")) for f in data["feedback"]]
    return out


class AfterActionReportViewSet(HistoryMixin, viewsets.ModelViewSet):
    """List, read, write and change after-action reports. No PUT (PATCH changes what it is sent)
    and no DELETE: a report is corrected, not withdrawn."""

    serializer_class = AfterActionReportSerializer
    lookup_field = "engagement__key"
    lookup_url_kwarg = "key"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[AfterActionReport]:
        return selectors.reports_visible(self.request.user).order_by("engagement__key")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        try:
            report = reports.report_create(
                acting_user=self.request.user,  # type: ignore[arg-type]
                engagement=data["engagement"],
                label=data["label"],
                summary=data["summary"],
                **_inputs(data),
            )
        except reports.ReportError as exc:
            raise ValidationError({exc.field: str(exc)}) from exc
        serializer.instance = self.get_queryset().get(pk=report.pk)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        current = serializer.instance
        if "engagement" in data and data["engagement"].pk != current.engagement_id:
            raise ValidationError({"engagement": "the engagement of a report cannot change"})
        try:
            report = reports.report_update(
                acting_user=self.request.user,  # type: ignore[arg-type]
                report=current,
                label=data.get("label"),
                summary=data.get("summary"),
                **_inputs(data),
            )
        except reports.ReportError as exc:
            raise ValidationError({exc.field: str(exc)}) from exc
        serializer.instance = self.get_queryset().get(pk=report.pk)
