"""API for every engagement kind with its own endpoint: exercises, agreements, training,
meetings, attachés and confidence-building measures. One generic serializer and view set per
kind, built from the kind's model, so a new kind is a line in ``KIND_ROUTES``. Each offers list,
read, create (POST), change (PATCH), lifecycle moves (``{key}/transition/``) and exports
(``export/``); records are never deleted, the lifecycle cancels them."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from comity.core.api.history import HistoryMixin
from comity.core.api.relations import VisibleSlugRelatedField
from comity.core.api.serializers import LabelField
from comity.engagements import exporting, selectors, services
from comity.engagements.api.serializers import (
    MAX_COUNT,
    EngagementSerializer,
    ParticipantSerializer,
    TransitionSerializer,
)
from comity.engagements.choices import EngagementKind, ParticipantRole
from comity.engagements.filtersets import EngagementFilter
from comity.engagements.kinds import KIND_MODELS, kind_fields, state_fields
from comity.engagements.lifecycle import TransitionError
from comity.engagements.models import Engagement, Exercise, Objective
from comity.registry.models import State

#: URL prefix -> kind code, for the kinds beyond exercises (the permission matrix runs these).
KIND_ROUTES = {
    "agreements": EngagementKind.AGREEMENT,
    "training": EngagementKind.TRAINING,
    "meetings": EngagementKind.MEETING,
    "attaches": EngagementKind.ATTACHE,
    "measures": EngagementKind.CBM,
}

#: URL prefix -> kind code, for every kind this module serves.
ROUTES = {"exercises": EngagementKind.EXERCISE, **KIND_ROUTES}

CONTENT_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "parquet": "application/vnd.apache.parquet",
    "ics": "text/calendar",
}


#: What a caller may give as a record's owner: a nation's or organisation's code.
OWNER_PATTERN = r"^[A-Z][A-Z0-9]{1,15}$"


class OwnerField(serializers.CharField):
    """The scope a record is entered for. A caller names a code; a shipped record, whose source
    names no owner, answers with an empty one. The pattern is checked here rather than by a
    ``RegexValidator``, which the schema generator would write into the response schema too."""

    default_error_messages = {"invalid": "This value does not match the required pattern."}

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if not re.fullmatch(OWNER_PATTERN, value):
            self.fail("invalid")
        return value


class OwnerFieldSchema(OpenApiSerializerFieldExtension):
    """The pattern binds requests only: a response may carry a shipped record's empty owner (the
    response schema said otherwise until schemathesis's conformance check read the shipped data)."""

    target_class = OwnerField

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        return {"type": "string", "pattern": OWNER_PATTERN} if direction == "request" else {"type": "string"}


class ParticipantInput(serializers.Serializer):
    iso3 = serializers.SlugRelatedField(slug_field="iso3", queryset=State.objects.all(), source="state")
    role = serializers.ChoiceField(choices=ParticipantRole.choices, default=ParticipantRole.PARTICIPANT)
    personnel = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_COUNT)


class KindSerializerBase(EngagementSerializer):
    """Base fields writable, participants as ``{"iso3", "role", "personnel"}`` objects."""

    label = LabelField()
    lead = serializers.CharField(required=False, allow_blank=True)
    owner = OwnerField(
        required=False,
        help_text="The nation (ISO3) or organisation the record is entered for; by default the caller's. "
        "Only an editor of that scope may write it.",
    )
    # Links name, and may point at, only records the caller may see (core.api.relations).
    objectives = VisibleSlugRelatedField(slug_field="code", many=True, required=False, queryset=Objective.objects)
    participants = ParticipantSerializer(many=True, read_only=True)
    participant_input = ParticipantInput(many=True, write_only=True, required=False, source="participants_in")

    def validate_participant_input(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        seen: set[tuple[str, str]] = set()
        for participant in value:
            participant.setdefault("role", ParticipantRole.PARTICIPANT)  # defaults are skipped under PATCH
            pair = (participant["state"].iso3, participant["role"])
            if pair in seen:
                raise ValidationError(f"{pair[0]} is listed twice as {pair[1]}")
            seen.add(pair)
        return value


def kind_serializer(model: type[Engagement]) -> type[KindSerializerBase]:
    """A serializer class for one kind: the base fields plus the kind's own."""
    extra = kind_fields(model)
    attrs: dict[str, Any] = {}
    for name in extra:
        field = model._meta.get_field(name)
        if getattr(field, "related_model", None) is State:
            attrs[name] = serializers.SlugRelatedField(
                slug_field="iso3", queryset=State.objects.all(), required=not field.null, allow_null=field.null
            )
        elif getattr(field, "related_model", None) is Exercise:
            attrs[name] = VisibleSlugRelatedField(
                slug_field="key", queryset=Exercise.objects, required=False, allow_null=True
            )
    named = [f"{name}_name_as_of" for name in state_fields(model)]
    for name in state_fields(model):  # each state a kind names, also by its name on the date
        attrs[f"{name}_name_as_of"] = serializers.CharField(
            source=f"names_as_of.{name}",
            read_only=True,
            allow_null=True,
            help_text=f"The {name.replace('_', ' ')} by name on the record's date (its start).",
        )
    meta = type(
        "Meta",
        (EngagementSerializer.Meta,),
        {
            "model": model,
            "fields": [
                *EngagementSerializer.Meta.fields,
                "participants",
                "participant_input",
                "notes",
                *extra,
                *named,
            ],
            "read_only_fields": ["kind"],
        },
    )
    return type(f"{model.__name__}Serializer", (KindSerializerBase,), {"Meta": meta, **attrs})


def _lead(code: str) -> dict[str, Any]:
    try:
        return selectors.lead_columns(code)
    except LookupError as exc:
        raise ValidationError({"lead": str(exc)}) from exc


def _participants(data: dict[str, Any]) -> list[tuple[State, str, int | None]] | None:
    """The ``participant_input`` of a request as (state, role, personnel), or None when not sent."""
    if "participants_in" not in data:
        return None
    return [(p["state"], p["role"], p.get("personnel")) for p in data.pop("participants_in")]


class KindViewSet(HistoryMixin, viewsets.ModelViewSet):
    """List, read, record and change engagements of one kind; move them along the lifecycle and
    export them. No PUT (PATCH changes what it is sent) and no DELETE (cancel instead)."""

    kind: str = ""
    prefix: str = ""
    filterset_class = EngagementFilter
    lookup_field = "key"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Engagement]:
        return selectors.kind_visible(self.request.user, KIND_MODELS[self.kind])

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        participants = _participants(data) or []
        objectives = data.pop("objectives", [])
        key = data.pop("key")
        lead = _lead(data.pop("lead", ""))
        values = {**data, **lead}
        try:
            record = services.engagement_create(
                acting_user=self.request.user,  # type: ignore[arg-type]
                model=KIND_MODELS[self.kind],
                kind=self.kind,
                key=key,
                values=values,
                participants=participants,
                objectives=objectives,
            )
        except LookupError as exc:
            raise ValidationError({"key": str(exc.args[0])}) from exc
        except services.EngagementChangeError as exc:
            raise ValidationError({exc.field: str(exc)}) from exc
        serializer.instance = self.get_queryset().get(pk=record.pk)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        participants = _participants(data)
        objectives = data.pop("objectives", None)
        if "lead" in data:
            data.update(_lead(data.pop("lead")))
        try:
            record = services.engagement_update(
                acting_user=self.request.user,  # type: ignore[arg-type]
                engagement=serializer.instance,
                values=data,
                participants=participants,
                objectives=objectives,
            )
        except services.EngagementChangeError as exc:
            raise ValidationError({exc.field: str(exc)}) from exc
        serializer.instance = self.get_queryset().get(pk=record.pk)

    @extend_schema(request=TransitionSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, key: str | None = None) -> Response:
        """Move the record along its lifecycle (400 with the reason when not allowed)."""
        record = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.engagement_transition(
                acting_user=request.user, engagement=record, to=serializer.validated_data["to"]
            )
        except TransitionError as exc:
            raise ValidationError({"to": str(exc)}) from exc
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data)

    @extend_schema(
        parameters=[OpenApiParameter("export_format", OpenApiTypes.STR, enum=list(exporting.FORMATS))],
        # One response per format: under ``*/*`` the JSON export was checked against "binary".
        responses={
            (200, media_type): {"type": "array", "items": {"type": "object"}} if fmt == "json" else OpenApiTypes.BINARY
            for fmt, media_type in CONTENT_TYPES.items()
        },
    )
    @action(detail=False, methods=["get"])
    def export(self, request: Request) -> HttpResponse:
        """What the caller may see (after the list filters) as CSV, JSON, Parquet or iCalendar."""
        fmt = request.query_params.get("export_format") or "csv"
        if fmt not in exporting.FORMATS:
            raise ValidationError({"export_format": f"use one of {', '.join(exporting.FORMATS)}"})
        rows = list(self.filter_queryset(self.get_queryset()).order_by("start_date", "key"))
        response = HttpResponse(exporting.export(rows, fmt, self.kind), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{self.prefix}.{fmt}"'
        response["X-Comity-Marking"] = exporting.export_marking(rows)
        return response


def kind_viewset(kind: str, prefix: str) -> type[KindViewSet]:
    """The view set of one kind, served under ``prefix`` (its plural, e.g. ``exercises``)."""
    model = KIND_MODELS[kind]
    return type(
        f"{model.__name__}ViewSet",
        (KindViewSet,),
        # ``queryset`` names the model for the schema, which has no caller; rows: ``get_queryset``.
        {"kind": kind, "prefix": prefix, "serializer_class": kind_serializer(model), "queryset": model.objects.none()},
    )
