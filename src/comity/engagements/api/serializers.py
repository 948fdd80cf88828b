"""Serializers of the engagement API."""

from __future__ import annotations

from rest_framework import serializers

from comity.core.api.serializers import LabelField
from comity.engagements.models import Engagement, EngagementParticipant, Exercise, Indicator, Objective


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


class ExerciseSerializer(EngagementSerializer):
    participants = ParticipantSerializer(many=True, read_only=True)

    class Meta(EngagementSerializer.Meta):
        model = Exercise
        fields = [
            *EngagementSerializer.Meta.fields,
            "series",
            "domain",
            "scenario",
            "battle_tanks",
            "armoured_combat_vehicles",
            "artillery_pieces",
            "participants",
            "notes",
        ]


class TransitionSerializer(serializers.Serializer):
    to = serializers.CharField()
