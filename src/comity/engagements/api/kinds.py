"""API for the engagement kinds beyond exercises: agreements, training, meetings, attachés and
confidence-building measures. One generic serializer and view set per kind, built from the
kind's model, so a new kind is a line in ``KIND_ROUTES``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from comity.core.api.serializers import LabelField
from comity.core.banner import LABEL_PREFETCH, LABEL_SELECT
from comity.engagements import services
from comity.engagements.api.serializers import EngagementSerializer, ParticipantSerializer
from comity.engagements.choices import EngagementKind, ParticipantRole
from comity.engagements.filtersets import EngagementFilter
from comity.engagements.kinds import KIND_MODELS, kind_fields
from comity.engagements.models import Engagement, Exercise, Objective
from comity.registry.models import Organisation, State

#: URL prefix -> kind code, for the kinds this module serves.
KIND_ROUTES = {
    "agreements": EngagementKind.AGREEMENT,
    "training": EngagementKind.TRAINING,
    "meetings": EngagementKind.MEETING,
    "attaches": EngagementKind.ATTACHE,
    "measures": EngagementKind.CBM,
}


class ParticipantInput(serializers.Serializer):
    iso3 = serializers.SlugRelatedField(slug_field="iso3", queryset=State.objects.all(), source="state")
    role = serializers.ChoiceField(choices=ParticipantRole.choices, default=ParticipantRole.PARTICIPANT)
    personnel = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class KindSerializerBase(EngagementSerializer):
    """Base fields writable, participants as ``{"iso3", "role", "personnel"}`` objects."""

    label = LabelField()
    lead = serializers.CharField(required=False, allow_blank=True)
    objectives = serializers.SlugRelatedField(slug_field="code", many=True, required=False, queryset=Objective.objects)
    participants = ParticipantSerializer(many=True, read_only=True)
    participant_input = ParticipantInput(many=True, write_only=True, required=False, source="participants_in")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None:
            # Links may only point at records the caller may see.
            self.fields["objectives"].child_relation.queryset = Objective.objects.visible_to(user)
            if "related_exercise" in self.fields:
                self.fields["related_exercise"].queryset = Exercise.objects.visible_to(user)


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
            attrs[name] = serializers.SlugRelatedField(
                slug_field="key", queryset=Exercise.objects.none(), required=False, allow_null=True
            )
    meta = type(
        "Meta",
        (EngagementSerializer.Meta,),
        {
            "model": model,
            "fields": [*EngagementSerializer.Meta.fields, "participants", "participant_input", "notes", *extra],
            "read_only_fields": ["id", "kind"],
        },
    )
    return type(f"{model.__name__}Serializer", (KindSerializerBase,), {"Meta": meta, **attrs})


def _lead(code: str) -> dict[str, Any]:
    code = code.strip().upper()
    if not code:
        return {"lead_state": None, "lead_organisation": None}
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is not None:
        return {"lead_state": None, "lead_organisation": organisation}
    state = State.objects.filter(iso3=code).first()
    if state is None:
        raise ValidationError({"lead": f"{code!r} is neither an organisation nor a state"})
    return {"lead_state": state, "lead_organisation": None}


class KindViewSet(viewsets.ModelViewSet):
    """List, read and record engagements of one kind (changes go through lifecycle moves)."""

    kind: str = ""
    filterset_class = EngagementFilter
    lookup_field = "key"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Engagement]:
        return (
            KIND_MODELS[self.kind]
            .objects.visible_to(self.request.user)
            .select_related("lead_state", "lead_organisation", *LABEL_SELECT)
            .prefetch_related(*LABEL_PREFETCH, "objectives", "participants__state")
        )

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        participants = [(p["state"], p["role"], p.get("personnel")) for p in data.pop("participants_in", [])]
        objectives = data.pop("objectives", [])
        key = data.pop("key")
        lead = _lead(data.pop("lead", ""))
        values = {**data, **lead}
        try:
            serializer.instance = services.engagement_create(
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


def kind_viewset(kind: str) -> type[KindViewSet]:
    model = KIND_MODELS[kind]
    return type(f"{model.__name__}ViewSet", (KindViewSet,), {"kind": kind, "serializer_class": kind_serializer(model)})
