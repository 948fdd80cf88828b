"""The objectives API: read the tree, create and change its nodes, add and change indicators.

Every write calls ``engagements.objectives`` (the service the demo step and the tests call), so
the write rule, the tree's shape, the label check and the change log are the same on every path.
A parent is named by code through the caller's access (a hidden one is refused in the words of a
missing one); an indicator is reached only through an objective the caller may see.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from comity.core.api.relations import VisibleSlugRelatedField, request_user
from comity.core.api.serializers import LabelField
from comity.core.banner import LABEL_PREFETCH, LABEL_SELECT
from comity.engagements import objectives
from comity.engagements.api.serializers import IndicatorSerializer, ObjectiveSerializer
from comity.engagements.choices import ObjectiveLevel
from comity.engagements.models import Indicator, Objective
from comity.registry.models import State


class ObjectiveWriteSerializer(serializers.ModelSerializer):
    """A node of the tree as written; ``level`` and ``code`` are set at creation only."""

    code = serializers.SlugField(max_length=64)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    level = serializers.ChoiceField(choices=ObjectiveLevel.choices, default=ObjectiveLevel.OBJECTIVE)
    parent = VisibleSlugRelatedField(slug_field="code", queryset=Objective.objects, required=False, allow_null=True)
    state = serializers.SlugRelatedField(slug_field="iso3", queryset=State.objects, required=False, allow_null=True)
    region = serializers.CharField(required=False, allow_blank=True, max_length=64)
    owner = serializers.CharField(required=False, allow_blank=True, max_length=16)
    label = LabelField(help_text="One the caller may read.")

    class Meta:
        model = Objective
        fields = ["code", "title", "description", "level", "parent", "state", "region", "owner", "label"]


def _input(data: dict[str, Any], current: Objective | None = None) -> objectives.ObjectiveInput:
    """The service's input: the body's values over the current record's (a PATCH sends a few)."""

    def value(name: str, default: Any) -> Any:
        return data[name] if name in data else (getattr(current, name) if current is not None else default)

    return objectives.ObjectiveInput(
        title=value("title", ""),
        level=current.level if current is not None else data.get("level", ObjectiveLevel.OBJECTIVE),
        description=value("description", "") or "",
        parent=value("parent", None),
        state=value("state", None),
        region=value("region", "") or "",
    )


class IndicatorWriteSerializer(serializers.ModelSerializer):
    baseline = serializers.FloatField(required=False, allow_null=True)
    target = serializers.FloatField(required=False, allow_null=True)

    class Meta:
        model = Indicator
        fields = ["id", "name", "unit", "baseline", "target", "due"]
        read_only_fields = ["id"]


def _indicator_input(data: dict[str, Any], current: Indicator | None = None) -> objectives.IndicatorInput:
    names = ("name", "unit", "baseline", "target", "due")
    kept = {name: getattr(current, name) for name in names} if current is not None else {}
    return objectives.IndicatorInput(**{**kept, **{name: data[name] for name in names if name in data}})


def _refused(exc: objectives.ObjectiveError) -> ValidationError:
    return ValidationError({exc.field: str(exc)})


class ObjectiveViewSet(viewsets.ModelViewSet):
    """The objectives tree: list, read, create (POST), change (PATCH), add an indicator. No PUT
    and no DELETE: engagements and reports link objectives, so a node is changed, not removed."""

    queryset = Objective.objects.none()  # the model, for the schema (no caller there); rows: get_queryset
    serializer_class = ObjectiveSerializer
    lookup_field = "code"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Objective]:
        return (
            Objective.objects.visible_to(self.request.user)
            .select_related("parent", "state", *LABEL_SELECT)
            .prefetch_related("indicators", *LABEL_PREFETCH)
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action in {"create", "partial_update"}:
            return ObjectiveWriteSerializer
        if self.action == "indicators":
            return IndicatorWriteSerializer
        return ObjectiveSerializer

    def get_serializer(self, *args: Any, **kwargs: Any) -> serializers.BaseSerializer:
        serializer = super().get_serializer(*args, **kwargs)
        if self.action == "partial_update":  # the code and level of a node stay what they are
            for name in ("code", "level", "owner"):
                serializer.fields[name].read_only = True
        return serializer

    def _answer(self, objective: Objective, code: int = status.HTTP_200_OK) -> Response:
        record = self.get_queryset().get(pk=objective.pk)
        return Response(ObjectiveSerializer(record, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=ObjectiveWriteSerializer, responses={201: ObjectiveSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            objective = objectives.objective_create(
                acting_user=request_user(serializer.context),  # type: ignore[arg-type]
                code=data["code"],
                values=_input(data),
                label=data["label"],
                owner=data.get("owner", ""),
            )
        except objectives.ObjectiveError as exc:
            raise _refused(exc) from exc
        return self._answer(objective, status.HTTP_201_CREATED)

    @extend_schema(request=ObjectiveWriteSerializer, responses=ObjectiveSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        current = self.get_object()
        serializer = self.get_serializer(current, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            objective = objectives.objective_update(
                acting_user=request.user,  # type: ignore[arg-type]
                objective=current,
                values=_input(data, current),
                label=data.get("label"),
            )
        except objectives.ObjectiveError as exc:
            raise _refused(exc) from exc
        return self._answer(objective)

    @extend_schema(request=IndicatorWriteSerializer, responses={201: IndicatorSerializer})
    @action(detail=True, methods=["post"])
    def indicators(self, request: Request, code: str | None = None) -> Response:
        """Add an indicator to this objective."""
        objective = self.get_object()
        serializer = IndicatorWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            indicator = objectives.indicator_create(
                acting_user=request.user,  # type: ignore[arg-type]
                objective=objective,
                values=_indicator_input(serializer.validated_data),
            )
        except objectives.ObjectiveError as exc:
            raise _refused(exc) from exc
        return Response(IndicatorSerializer(indicator).data, status=status.HTTP_201_CREATED)


class IndicatorViewSet(mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Read and change (PATCH) an indicator of an objective the caller may see."""

    queryset = Indicator.objects.none()  # the model, for the schema; rows: get_queryset
    serializer_class = IndicatorWriteSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Indicator]:
        visible = Objective.objects.visible_to(self.request.user)
        return Indicator.objects.filter(objective__in=visible.values("pk")).select_related("objective")

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        try:
            serializer.instance = objectives.indicator_update(
                acting_user=self.request.user,  # type: ignore[arg-type]
                indicator=serializer.instance,
                values=_indicator_input(serializer.validated_data, serializer.instance),
            )
        except objectives.ObjectiveError as exc:
            raise _refused(exc) from exc
