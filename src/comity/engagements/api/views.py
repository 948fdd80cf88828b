"""Engagement API: objectives, every engagement (calendar), exercises with lifecycle and export."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from comity.core.banner import LABEL_PREFETCH, LABEL_SELECT
from comity.engagements import exporting, prime, selectors, services
from comity.engagements.api.serializers import (
    EngagementSerializer,
    ExerciseSerializer,
    MenuItemSerializer,
    ObjectiveSerializer,
    PartnerProgrammeSerializer,
    ProgrammeActivitySerializer,
    StepSerializer,
    TransitionSerializer,
)
from comity.engagements.filtersets import EngagementFilter
from comity.engagements.lifecycle import TransitionError
from comity.engagements.models import Engagement, Exercise, MenuItem, Objective, PartnerProgramme, ProgrammeActivity

CONTENT_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "parquet": "application/vnd.apache.parquet",
    "ics": "text/calendar",
}


class ObjectiveViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ObjectiveSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Objective]:
        return (
            Objective.objects.visible_to(self.request.user)
            .select_related("parent", *LABEL_SELECT)
            .prefetch_related("indicators", *LABEL_PREFETCH)
        )


class EngagementViewSet(viewsets.ReadOnlyModelViewSet):
    """Every kind of engagement in one list: what the calendar and timeline read."""

    serializer_class = EngagementSerializer
    filterset_class = EngagementFilter
    lookup_field = "key"

    def get_queryset(self) -> QuerySet[Engagement]:
        return selectors.engagements_visible(self.request.user).prefetch_related("objectives")


class NetworkView(APIView):
    """The co-participation network of the engagements the caller may see."""

    @extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT),
            OpenApiParameter("kind", OpenApiTypes.STR),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        raw_year = request.query_params.get("year")
        if raw_year and not raw_year.isdigit():
            raise ValidationError({"year": "a year such as 2018"})
        return Response(
            selectors.co_participation(
                request.user, year=int(raw_year) if raw_year else None, kind=request.query_params.get("kind", "")
            )
        )


class AttacheNetworkView(APIView):
    """Attaché posts in force on a date (``on``, default today) with capital coordinates."""

    @extend_schema(parameters=[OpenApiParameter("on", OpenApiTypes.DATE)], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("on")
        try:
            day = date.fromisoformat(raw) if raw else timezone.localdate()
        except ValueError as exc:
            raise ValidationError({"on": f"{raw!r} is not a date (YYYY-MM-DD)"}) from exc
        return Response({"on": day, "posts": selectors.attache_network(request.user, day)})


class ExerciseViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ExerciseSerializer
    filterset_class = EngagementFilter
    lookup_field = "key"

    def get_queryset(self) -> QuerySet[Exercise]:
        return selectors.exercises_visible(self.request.user)

    @extend_schema(request=TransitionSerializer, responses=ExerciseSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, key: str | None = None) -> Response:
        """Move the exercise along its lifecycle (400 with the reason when not allowed)."""
        exercise = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.engagement_transition(
                acting_user=request.user, engagement=exercise, to=serializer.validated_data["to"]
            )
        except TransitionError as exc:
            raise ValidationError({"to": str(exc)}) from exc
        return Response(ExerciseSerializer(self.get_queryset().get(pk=exercise.pk)).data)

    @extend_schema(
        parameters=[OpenApiParameter("export_format", OpenApiTypes.STR, enum=list(exporting.FORMATS))],
        responses={(200, "*/*"): OpenApiTypes.BINARY},
    )
    @action(detail=False, methods=["get"])
    def export(self, request: Request) -> HttpResponse:
        """What the caller may see (after the list filters) as CSV, JSON, Parquet or iCalendar."""
        fmt = request.query_params.get("export_format", "csv")
        if fmt not in exporting.FORMATS:
            raise ValidationError({"export_format": f"use one of {', '.join(exporting.FORMATS)}"})
        rows = self.filter_queryset(self.get_queryset()).order_by("start_date", "key")
        response = HttpResponse(exporting.export(rows, fmt, "exercise"), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="exercises.{fmt}"'
        return response


class MenuItemViewSet(viewsets.ReadOnlyModelViewSet):
    """The cooperation menu: activities partners can draw into their programmes."""

    serializer_class = MenuItemSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[MenuItem]:
        return (
            MenuItem.objects.visible_to(self.request.user)
            .select_related(*LABEL_SELECT)
            .prefetch_related("objectives", *LABEL_PREFETCH)
        )


class PartnerProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PartnerProgrammeSerializer

    def get_queryset(self) -> QuerySet[PartnerProgramme]:
        return (
            PartnerProgramme.objects.visible_to(self.request.user)
            .select_related("partner", *LABEL_SELECT)
            .prefetch_related(*LABEL_PREFETCH)
        )


class ProgrammeActivityViewSet(viewsets.ReadOnlyModelViewSet):
    """Partnership activities and their PRIME steps (``POST .../{key}/{step}/``)."""

    serializer_class = ProgrammeActivitySerializer
    filterset_class = EngagementFilter
    lookup_field = "key"

    def get_queryset(self) -> QuerySet[ProgrammeActivity]:
        return (
            ProgrammeActivity.objects.visible_to(self.request.user)
            .select_related("menu_item", "lead_state", "lead_organisation", *LABEL_SELECT)
            .prefetch_related(
                *LABEL_PREFETCH, "objectives", "participants__state", "assignments__user", "assignments__state"
            )
        )

    def _step(self, request: Request, run: Callable[[ProgrammeActivity, dict[str, Any]], object]) -> Response:
        activity = self.get_object()
        serializer = StepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            run(activity, serializer.validated_data)
        except prime.WorkflowError as exc:
            raise ValidationError({"step": str(exc)}) from exc
        return Response(ProgrammeActivitySerializer(self.get_queryset().get(pk=activity.pk)).data)

    @extend_schema(request=StepSerializer, responses=ProgrammeActivitySerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, key: str | None = None) -> Response:
        return self._step(request, lambda a, d: prime.activity_approve(acting_user=request.user, activity=a))

    @extend_schema(request=StepSerializer, responses=ProgrammeActivitySerializer)
    @action(detail=True, methods=["post"])
    def invite(self, request: Request, key: str | None = None) -> Response:
        return self._step(
            request,
            lambda a, d: prime.activity_invite(acting_user=request.user, activity=a, nations=d.get("nations", [])),
        )

    @extend_schema(request=StepSerializer, responses=ProgrammeActivitySerializer)
    @action(detail=True, methods=["post"])
    def register(self, request: Request, key: str | None = None) -> Response:
        return self._step(
            request,
            lambda a, d: prime.activity_register(acting_user=request.user, activity=a, personnel=d.get("personnel", 0)),
        )

    @extend_schema(request=StepSerializer, responses=ProgrammeActivitySerializer)
    @action(detail=True, methods=["post"])
    def report(self, request: Request, key: str | None = None) -> Response:
        return self._step(
            request,
            lambda a, d: prime.activity_report(acting_user=request.user, activity=a, feedback=d.get("feedback", "")),
        )
