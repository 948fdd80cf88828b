"""Serializers of the engagement API."""

from __future__ import annotations

from rest_framework import serializers

from comity.core.api.serializers import LabelField
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
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    label = LabelField(read_only=True)

    class Meta:
        model = Objective
        fields = ["code", "title", "description", "level", "parent", "indicators", "label"]


class EngagementSerializer(serializers.ModelSerializer):
    lead = serializers.CharField(read_only=True)
    label = LabelField(read_only=True)
    objectives = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Engagement
        fields = [
            "id",
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
            "source",
        ]


class TransitionSerializer(serializers.Serializer):
    to = serializers.CharField()


class MenuItemSerializer(serializers.ModelSerializer):
    label = LabelField(read_only=True)
    objectives = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = MenuItem
        fields = ["id", "code", "title", "description", "provider", "objectives", "label"]


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


class ProgrammeActivitySerializer(EngagementSerializer):
    programme = serializers.PrimaryKeyRelatedField(read_only=True)
    menu_item = serializers.SlugRelatedField(slug_field="code", read_only=True)
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
    personnel = serializers.IntegerField(required=False, min_value=1)
    feedback = serializers.CharField(required=False)
