"""Serializers of the engagement API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from comity.core.api.relations import VisibleRelationMixin, VisibleSlugRelatedField
from comity.core.api.serializers import LabelField
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
    name = serializers.CharField(source="state.name")

    class Meta:
        model = EngagementParticipant
        fields = ["iso3", "name", "role", "personnel", "platforms"]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["name", "unit", "baseline", "target", "due"]


class ObjectiveSerializer(serializers.ModelSerializer):
    parent = VisibleSlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    label = LabelField(read_only=True)

    class Meta:
        model = Objective
        fields = ["code", "title", "description", "level", "parent", "indicators", "label"]


class EngagementSerializer(serializers.ModelSerializer):
    lead = serializers.CharField(read_only=True)
    label = LabelField(read_only=True)
    objectives = VisibleSlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Engagement
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
    user = serializers.CharField(source="user.username", default=None, read_only=True)
    state = serializers.CharField(source="state.iso3", default=None, read_only=True)

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


class NetworkParams(serializers.Serializer):
    """Query parameters of the co-participation network (the page checks them the same way)."""

    year = serializers.IntegerField(
        required=False, min_value=MIN_YEAR, max_value=MAX_YEAR, help_text="engagements running in this year"
    )
    kind = serializers.ChoiceField(choices=EngagementKind.choices, required=False, help_text="one kind only")
