"""Registry API: reference data, the alliance on a date, and labelled country notes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from comity.core.api.history import HistoryMixin
from comity.core.api.params import on_date
from comity.core.banner import LABEL_PREFETCH, LABEL_SELECT
from comity.registry import selectors, services
from comity.registry.api.serializers import (
    AllianceSerializer,
    CountryNoteSerializer,
    FrameworkSerializer,
    MembershipSerializer,
    OrganisationSerializer,
    ParticipationSerializer,
    StateSerializer,
)
from comity.registry.filtersets import CountryNoteFilter, MembershipFilter, ParticipationFilter, StateFilter
from comity.registry.models import CountryNote, Membership, Organisation, Participation, PartnershipFramework, State


class StateViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = State.objects.all()
    serializer_class = StateSerializer
    filterset_class = StateFilter
    lookup_field = "iso3"


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Organisation.objects.all()
    serializer_class = OrganisationSerializer
    lookup_field = "code"


class FrameworkViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = PartnershipFramework.objects.select_related("organisation")
    serializer_class = FrameworkSerializer
    lookup_field = "code"


class MembershipViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Membership.objects.select_related("organisation", "state")
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter


class ParticipationViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Participation.objects.select_related("framework", "state")
    serializer_class = ParticipationSerializer
    filterset_class = ParticipationFilter


class AllianceView(APIView):
    """Time travel: every member and partner of an organisation on a date, for the map and lists."""

    @extend_schema(
        parameters=[
            OpenApiParameter("organisation", OpenApiTypes.STR, description="Organisation code (default NATO)"),
            OpenApiParameter("on", OpenApiTypes.DATE, description="As-of date (default today)"),
        ],
        responses=AllianceSerializer,
    )
    def get(self, request: Request) -> Response:
        code = (request.query_params.get("organisation") or "NATO").upper()
        if selectors.organisation_or_none(code) is None:
            raise NotFound(f"no organisation {code}")
        day = on_date(request.query_params.get("on"))
        rows = [asdict(row) for row in selectors.states_on(code, day)]
        return Response(AllianceSerializer({"organisation": code, "on": day, "states": rows}).data)


@contextmanager
def _as_bad_request() -> Iterator[None]:
    """A service's refusal (Django ``ValidationError``) as a 400 naming the fields."""
    try:
        yield
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


class CountryNoteViewSet(HistoryMixin, viewsets.ModelViewSet):
    """Labelled country notes: lists, details and writes all see only what the caller may see."""

    queryset = CountryNote.objects.none()  # the model, for the schema (no caller there); rows: get_queryset
    serializer_class = CountryNoteSerializer
    filterset_class = CountryNoteFilter

    def get_queryset(self) -> QuerySet[CountryNote]:
        return (
            CountryNote.objects.visible_to(self.request.user)
            .select_related("state", "author", *LABEL_SELECT)
            .prefetch_related(*LABEL_PREFETCH)
        )

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        with _as_bad_request():
            serializer.instance = services.country_note_create(acting_user=self.request.user, **data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("state", None)
        with _as_bad_request():
            serializer.instance = services.country_note_update(
                acting_user=self.request.user, note=serializer.instance, **data
            )

    def destroy(self, request: Request, *args: object, **kwargs: object) -> Response:
        services.country_note_delete(acting_user=request.user, note=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
