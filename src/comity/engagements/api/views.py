"""Engagement API: every engagement (calendar), networks, partnership programmes.

Each kind's own endpoint (exercises, agreements, ...) is built in ``api/kinds.py``; the
objectives and their indicators in ``api/objectives.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from comity.core.api.history import HistoryMixin
from comity.core.api.params import on_date
from comity.core.banner import LABEL_PREFETCH, LABEL_SELECT
from comity.engagements import prime, selectors
from comity.engagements.api.serializers import (
    EngagementSerializer,
    MenuItemSerializer,
    NetworkParams,
    PartnerProgrammeSerializer,
    ProgrammeActivitySerializer,
    StepSerializer,
    network_params,
)
from comity.engagements.filtersets import EngagementFilter
from comity.engagements.models import Engagement, MenuItem, PartnerProgramme, ProgrammeActivity


class EngagementViewSet(HistoryMixin, viewsets.ReadOnlyModelViewSet):
    """Every kind of engagement in one list: what the calendar and timeline read."""

    queryset = Engagement.objects.none()  # the model, for the schema (no caller there); rows: get_queryset
    serializer_class = EngagementSerializer
    filterset_class = EngagementFilter
    lookup_field = "key"

    def get_queryset(self) -> QuerySet[Engagement]:
        return selectors.engagements_visible(self.request.user).prefetch_related("objectives")


class NetworkView(APIView):
    """The co-participation network of the engagements the caller may see."""

    @extend_schema(parameters=[NetworkParams], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        params = network_params(request.query_params, request.user)
        params.is_valid(raise_exception=True)
        return Response(selectors.co_participation(request.user, **params.validated_data))


class AttacheNetworkView(APIView):
    """Attaché posts in force on a date (``on``, default today) with capital coordinates."""

    @extend_schema(parameters=[OpenApiParameter("on", OpenApiTypes.DATE)], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        day = on_date(request.query_params.get("on"))
        return Response({"on": day, "posts": selectors.attache_network(request.user, day)})


class MenuItemViewSet(viewsets.ReadOnlyModelViewSet):
    """The cooperation menu: activities partners can draw into their programmes."""

    queryset = MenuItem.objects.none()  # the model, for the schema (no caller there); rows: get_queryset
    serializer_class = MenuItemSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[MenuItem]:
        return (
            MenuItem.objects.visible_to(self.request.user)
            .select_related(*LABEL_SELECT)
            .prefetch_related("objectives", *LABEL_PREFETCH)
        )


class PartnerProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = PartnerProgramme.objects.none()  # the model, for the schema (no caller there); rows: get_queryset
    serializer_class = PartnerProgrammeSerializer

    def get_queryset(self) -> QuerySet[PartnerProgramme]:
        return (
            PartnerProgramme.objects.visible_to(self.request.user)
            .select_related("partner", *LABEL_SELECT)
            .prefetch_related(*LABEL_PREFETCH)
        )


class ProgrammeActivityViewSet(HistoryMixin, viewsets.ReadOnlyModelViewSet):
    """Partnership activities and their PRIME steps (``POST .../{key}/{step}/``)."""

    queryset = ProgrammeActivity.objects.none()  # the model, for the schema (no caller there); rows: get_queryset
    serializer_class = ProgrammeActivitySerializer
    filterset_class = EngagementFilter
    lookup_field = "key"

    def get_queryset(self) -> QuerySet[ProgrammeActivity]:
        return selectors.activities_visible(self.request.user)

    def _step(self, request: Request, run: Callable[[ProgrammeActivity, dict[str, Any]], object]) -> Response:
        activity = self.get_object()
        serializer = StepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            run(activity, serializer.validated_data)
        except prime.WorkflowError as exc:
            raise ValidationError({"step": str(exc)}) from exc
        return Response(self.get_serializer(self.get_queryset().get(pk=activity.pk)).data)

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
