"""The AM&E API: measurements of indicators (read, enter, change) and an objective's progress.

Reads go through ``assessment.objective_selectors``: a measurement is listed only when the caller may see
it, its objective and all its evidence, and an objective's progress is computed from exactly
those, with ``computed_from`` saying so in every answer. Writes call the services the pages
call; a hidden indicator, report, engagement or document is refused in the words of a missing one.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from comity.assessment import objective_selectors, services
from comity.assessment.choices import ProgressStatus
from comity.assessment.models import Measurement
from comity.core.api.relations import request_user
from comity.core.api.serializers import LabelField
from comity.core.attachments.selectors import attachments_visible
from comity.engagements.models import AfterActionReport, Engagement, Indicator, Objective
from comity.engagements.objectives import MAX_MAGNITUDE

MAX_NOTE = 4000


class EvidenceSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="After-action report, Engagement, Document, or Computed by <function>.")
    text = serializers.CharField(help_text="The record's title or file name; for a computed value, its provenance.")
    url = serializers.CharField(help_text="The page of the evidence (empty for a computed value).")


class MeasurementSerializer(serializers.ModelSerializer):
    """A measurement as read: its indicator, value, origin, evidence and label. On input the
    evidence is named by ``report`` (the key of the engagement whose report it is), ``engagement``
    (a key) and ``attachment`` (a document's id); an entered measurement names at least one, and a
    change that names any of them replaces all three."""

    objective = serializers.CharField(source="indicator.objective.code", read_only=True)
    indicator = serializers.IntegerField(source="indicator_id", help_text="The indicator's id.")
    value = serializers.FloatField(min_value=-MAX_MAGNITUDE, max_value=MAX_MAGNITUDE)
    report = serializers.SlugField(write_only=True, required=False, allow_blank=True, max_length=100)
    engagement = serializers.SlugField(write_only=True, required=False, allow_blank=True, max_length=100)
    attachment = serializers.IntegerField(
        write_only=True, required=False, allow_null=True, min_value=1, max_value=2**63 - 1
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=MAX_NOTE)
    evidence = serializers.SerializerMethodField()
    label = LabelField(help_text="At least the objective's and every piece of evidence's label; one you may read.")

    class Meta:
        model = Measurement
        fields = [
            "id",
            "objective",
            "indicator",
            "date",
            "value",
            "origin",
            "computed_by",
            "provenance",
            "note",
            "report",
            "engagement",
            "attachment",
            "evidence",
            "label",
            "owner",
            "created",
            "updated",
        ]
        read_only_fields = ["origin", "computed_by", "provenance", "owner", "created", "updated"]

    @extend_schema_field(EvidenceSerializer(many=True))
    def get_evidence(self, measurement: Measurement) -> list[dict[str, str]]:
        return [{"kind": e.kind, "text": e.text, "url": e.url} for e in objective_selectors.evidence_of(measurement)]

    def _user(self) -> Any:
        return request_user(self.context)

    def validate_indicator(self, pk: int) -> Indicator:
        objectives = Objective.objects.visible_to(self._user())
        indicator = Indicator.objects.filter(pk=pk, objective__in=objectives.values("pk")).first()
        if indicator is None:
            raise serializers.ValidationError("no indicator you may see has this id")
        return indicator

    def validate_report(self, key: str) -> AfterActionReport | None:
        if not key:
            return None
        report = objective_selectors.evidence_reports(self._user()).filter(engagement__key=key).first()
        if report is None:
            raise serializers.ValidationError(services.NO_EVIDENCE.format(what="after-action report"))
        return report

    def validate_engagement(self, key: str) -> Engagement | None:
        if not key:
            return None
        engagement = Engagement.objects.visible_to(self._user()).filter(key=key).first()
        if engagement is None:
            raise serializers.ValidationError(services.NO_EVIDENCE.format(what="engagement"))
        return engagement

    def validate_attachment(self, pk: int | None) -> Any:
        if pk is None:
            return None
        attachment = attachments_visible(self._user()).filter(pk=pk).first()
        if attachment is None:
            raise serializers.ValidationError(services.NO_EVIDENCE.format(what="attached document"))
        return attachment


def _evidence(data: dict[str, Any]) -> services.Evidence | None:
    """The evidence named in a body, or None when the body names none (a change keeps it)."""
    if not any(name in data for name in ("report", "engagement", "attachment")):
        return None
    return services.Evidence(
        report=data.get("report"), engagement=data.get("engagement"), attachment=data.get("attachment")
    )


class MeasurementFilter(filters.FilterSet):
    objective = filters.CharFilter(method="by_objective", label="Objective code")

    class Meta:
        model = Measurement
        fields = ["objective"]

    def by_objective(self, queryset: QuerySet[Measurement], name: str, value: str) -> QuerySet[Measurement]:
        """Measurements of an objective: ``queryset`` is already what the caller may see, so a
        hidden objective's code matches nothing, as an unknown one does."""
        return queryset.filter(indicator__objective__code=value)


class MeasurementViewSet(viewsets.ModelViewSet):
    """List, read, enter and change measurements. No PUT and no DELETE: a measurement is
    corrected (PATCH), not withdrawn; a computed one is computed again."""

    queryset = Measurement.objects.none()  # the model, for the schema; rows: get_queryset
    serializer_class = MeasurementSerializer
    filterset_class = MeasurementFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Measurement]:
        visible = objective_selectors.measurements_visible(self.request.user)
        return visible.order_by("indicator__objective__code", "date", "pk")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        try:
            measurement = services.measurement_create(
                acting_user=self.request.user,  # type: ignore[arg-type]
                indicator=data["indicator_id"],
                day=data["date"],
                value=data["value"],
                evidence=_evidence(data) or services.Evidence(),
                label=data["label"],
                note=data.get("note", ""),
            )
        except services.MeasurementError as exc:
            raise ValidationError({exc.field: str(exc)}) from exc
        serializer.instance = self.get_queryset().get(pk=measurement.pk)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        current = serializer.instance
        if "indicator_id" in data and data["indicator_id"].pk != current.indicator_id:
            raise ValidationError({"indicator": "the indicator of a measurement cannot change"})
        try:
            measurement = services.measurement_update(
                acting_user=self.request.user,  # type: ignore[arg-type]
                measurement=current,
                day=data.get("date"),
                value=data.get("value"),
                evidence=_evidence(data),
                label=data.get("label"),
                note=data.get("note"),
            )
        except services.MeasurementError as exc:
            raise ValidationError({exc.field: str(exc)}) from exc
        serializer.instance = self.get_queryset().get(pk=measurement.pk)


class LatestSerializer(serializers.Serializer):
    date = serializers.DateField(source="day")
    value = serializers.FloatField()


class IndicatorProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="indicator.pk")
    name = serializers.CharField(source="indicator.name")
    unit = serializers.CharField(source="indicator.unit")
    baseline = serializers.FloatField(source="indicator.baseline", allow_null=True)
    target = serializers.FloatField(source="indicator.target", allow_null=True)
    due = serializers.DateField(source="indicator.due", allow_null=True)
    status = serializers.ChoiceField(choices=ProgressStatus.choices, source="progress.status")
    expected = serializers.FloatField(source="progress.expected", allow_null=True, help_text="Expected today.")
    latest = LatestSerializer(source="progress.latest", allow_null=True)
    measurements = serializers.SerializerMethodField(
        help_text="The ids of the measurements the figure is computed from."
    )

    def get_measurements(self, item: objective_selectors.IndicatorProgress) -> list[int]:
        return [m.pk for m in item.measurements]


class ObjectiveProgressSerializer(serializers.Serializer):
    objective = serializers.CharField(source="objective.code")
    title = serializers.CharField(source="objective.title")
    status = serializers.ChoiceField(choices=ProgressStatus.choices, help_text="The worst indicator's status.")
    computed_from = serializers.SerializerMethodField(help_text="Always the same words, whatever is hidden.")
    indicators = IndicatorProgressSerializer(many=True)

    def get_computed_from(self, page: objective_selectors.ObjectivePage) -> str:
        return objective_selectors.COMPUTED_FROM


class ObjectiveProgressView(APIView):
    """An objective's status and its indicators' progress, from the measurements the caller may see."""

    @extend_schema(responses=ObjectiveProgressSerializer)
    def get(self, request: Request, code: str) -> Response:
        return Response(ObjectiveProgressSerializer(objective_selectors.objective_page(request.user, code)).data)
