"""Serializers of the engagement API."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models.manager import BaseManager
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from comity.core.api.relations import VisibleRelationMixin, VisibleSlugRelatedField
from comity.core.api.serializers import LabelField
from comity.engagements import selectors
from comity.engagements.choices import EngagementKind
from comity.engagements.filtersets import MAX_YEAR, MIN_YEAR
from comity.engagements.models import (
    ActivityAssignment,
    Engagement,
    EngagementParticipant,
    Indicator,
    MenuItem,
    Objective,
    PartnerProgramme,
    ProgrammeActivity,
)

#: The largest count an input may carry: PostgreSQL's ``integer`` column, the narrowest of the
#: databases comity runs on (SQLite's are 64-bit). Model fields get it from Django; plain
#: serializer fields that end up in such a column name it themselves.
MAX_COUNT = 2**31 - 1


class ParticipantSerializer(serializers.ModelSerializer):
    iso3 = serializers.CharField(source="state.iso3")
    name = serializers.CharField(source="state.name", help_text="The state's name today.")
    name_as_of = serializers.CharField(
        read_only=True, help_text="The state's name on the record's date (its start), e.g. Swaziland before 2018-04-19."
    )

    class Meta:
        model = EngagementParticipant
        fields = ["iso3", "name", "role", "personnel", "platforms", "name_as_of"]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "name", "unit", "baseline", "target", "due"]


class ObjectiveSerializer(serializers.ModelSerializer):
    parent = VisibleSlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    state = serializers.SlugRelatedField(
        slug_field="iso3", read_only=True, allow_null=True, help_text="The nation or partner it is about (ISO3)."
    )
    label = LabelField(read_only=True)

    class Meta:
        model = Objective
        fields = ["code", "title", "description", "level", "parent", "state", "region", "owner", "indicators", "label"]


class NamedAsOfListSerializer(serializers.ListSerializer):
    """A list (or page) of records whose states are named as of each record's date with a fixed
    number of queries for the whole list (``selectors.with_names_as_of``), not a query per row."""

    def to_representation(self, data: Any) -> list[Any]:
        records = data.all() if isinstance(data, BaseManager) else data
        return super().to_representation(selectors.with_names_as_of(records))


class EngagementSerializer(serializers.ModelSerializer):
    lead = serializers.CharField(read_only=True)
    lead_name_as_of = serializers.CharField(
        source="names_as_of.lead",
        read_only=True,
        allow_null=True,
        help_text="Who led, by name on the record's date: the organisation, or the leading nations "
        "in the order of lead's codes, joined by '; '.",
    )
    label = LabelField(read_only=True)
    objectives = VisibleSlugRelatedField(slug_field="code", many=True, read_only=True)

    def to_representation(self, instance: Engagement) -> dict[str, Any]:
        """One record, its states named as of its date (a list has named them all already)."""
        if not hasattr(instance, "names_as_of"):
            selectors.with_names_as_of([instance])
        return super().to_representation(instance)

    class Meta:
        model = Engagement
        list_serializer_class = NamedAsOfListSerializer
        fields = [
            "key",
            "kind",
            "title",
            "start_date",
            "end_date",
            "location",
            "latitude",
            "longitude",
            "lead",
            "status",
            "personnel",
            "objectives",
            "label",
            "owner",
            "source",
            "lead_name_as_of",
        ]
        read_only_fields = ["owner"]


class TransitionSerializer(serializers.Serializer):
    to = serializers.CharField()


class MenuItemSerializer(serializers.ModelSerializer):
    label = LabelField(read_only=True)
    objectives = VisibleSlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = MenuItem
        fields = ["code", "title", "description", "provider", "objectives", "label"]


class PartnerProgrammeSerializer(serializers.ModelSerializer):
    partner = serializers.CharField(source="partner.iso3", read_only=True)
    label = LabelField(read_only=True)

    class Meta:
        model = PartnerProgramme
        fields = ["id", "partner", "cycle", "title", "label"]


class AssignmentSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", default=None, allow_null=True, read_only=True)
    state = serializers.CharField(source="state.iso3", default=None, allow_null=True, read_only=True)

    class Meta:
        model = ActivityAssignment
        fields = ["role", "user", "state", "created"]


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "properties": {"partner": {"type": "string"}, "cycle": {"type": "string"}},
        "description": "The programme by its natural key: the partner (ISO alpha-3) and the cycle.",
    }
)
class ProgrammeField(VisibleRelationMixin, serializers.RelatedField):
    """A partner programme by its natural key (partner and cycle), never by its sequential id."""

    def to_representation(self, value: PartnerProgramme) -> dict[str, Any]:
        return {"partner": value.partner.iso3, "cycle": value.cycle}


class ProgrammeActivitySerializer(EngagementSerializer):
    programme = ProgrammeField(read_only=True)
    menu_item = VisibleSlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    participants = ParticipantSerializer(many=True, read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True)

    class Meta(EngagementSerializer.Meta):
        model = ProgrammeActivity
        fields = [
            *EngagementSerializer.Meta.fields,
            "programme",
            "menu_item",
            "workflow",
            "feedback",
            "participants",
            "assignments",
        ]


class StepSerializer(serializers.Serializer):
    """Input of a PRIME step: ``nations`` to invite, ``personnel`` to register, ``feedback`` to report."""

    nations = serializers.ListField(child=serializers.CharField(), required=False)
    personnel = serializers.IntegerField(required=False, min_value=1, max_value=MAX_COUNT)
    feedback = serializers.CharField(required=False)


#: The most edges a network may ask to keep (``top``): more than any desk can read.
MAX_TOP_EDGES = 5000


_YEAR_OR_DAY = re.compile(r"(\d{4})(?:-(\d{2})-(\d{2}))?", re.ASCII)


@extend_schema_field({"type": "string", "example": "2018 or 2018-10-25"})
class PeriodBoundField(serializers.Field):
    """A day, ``YYYY-MM-DD``, or a whole year, ``YYYY``: as a period's first bound a year means
    1 January, as its last 31 December, so ``start=2018&end=2019`` covers both years."""

    def __init__(self, *, last: bool, **kwargs: Any) -> None:
        self.last = last
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> date:
        text = str(data).strip()
        match = _YEAR_OR_DAY.fullmatch(text)
        try:
            if match is None:
                raise ValueError(text)
            year, month, day = match.groups()
            if month is None:
                return date(int(year), 12, 31) if self.last else date(int(year), 1, 1)
            return date(int(year), int(month), int(day))
        except ValueError as exc:
            raise serializers.ValidationError(f"{text!r} is neither a year (YYYY) nor a day (YYYY-MM-DD)") from exc

    def to_representation(self, value: date) -> str:
        return value.isoformat()


class NetworkParams(serializers.Serializer):
    """Query parameters of the co-participation network (the page checks them the same way).

    Pass the requester as ``context["user"]``: ``objective`` resolves through ``visible_to``, so a
    hidden objective's code gets the same error as a code that does not exist.
    """

    year = serializers.IntegerField(
        required=False, min_value=MIN_YEAR, max_value=MAX_YEAR, help_text="engagements running in this year"
    )
    kind = serializers.ChoiceField(choices=EngagementKind.choices, required=False, help_text="one kind only")
    start = PeriodBoundField(last=False, required=False, help_text="engagements running on or after this day or year")
    end = PeriodBoundField(last=True, required=False, help_text="engagements running on or before this day or year")
    objective = serializers.CharField(required=False, help_text="code of an objective the engagements serve")
    min_weight = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_COUNT, default=1, help_text="links of at least this many engagements"
    )
    top = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_TOP_EDGES, help_text="only the heaviest links, this many"
    )

    def validate_objective(self, code: str) -> Objective:
        user = self.context.get("user")
        objective = Objective.objects.visible_to(user).filter(code=code).first()  # type: ignore[arg-type]
        if objective is None:
            raise serializers.ValidationError("no objective has this code")  # nor names it: a hidden one gets the same
        return objective

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("start"), attrs.get("end")
        if start is not None and end is not None and start > end:
            raise serializers.ValidationError({"end": "the end of the period must not be before its start"})
        return attrs


def network_params(query: Mapping[str, str], user: object) -> NetworkParams:
    """The network's parameters from a query string, unchecked yet; an empty value counts as
    absent, as a form's empty field does (and as ``core.api.params.checked_query`` reads them)."""
    return NetworkParams(data={key: value for key, value in query.items() if value != ""}, context={"user": user})
