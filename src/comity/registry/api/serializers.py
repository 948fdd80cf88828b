"""Serializers of the registry API."""

from __future__ import annotations

from rest_framework import serializers

from comity.core.api.serializers import LabelField
from comity.registry.models import CountryNote, Membership, Organisation, Participation, PartnershipFramework, State


class StateSerializer(serializers.ModelSerializer):
    class Meta:
        model = State
        fields = [
            "iso3",
            "iso2",
            "iso_numeric",
            "name",
            "cow_code",
            "cow_alpha",
            "cameo_code",
            "stanag_code",
            "capital",
            "capital_lat",
            "capital_lng",
            "source",
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["code", "name", "kind", "established", "note", "source"]


class FrameworkSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = PartnershipFramework
        fields = ["code", "name", "organisation", "established", "note", "source"]


class MembershipSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    iso3 = serializers.CharField(source="state.iso3", read_only=True)
    name = serializers.CharField(source="state.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organisation", "iso3", "name", "joined", "left", "note", "source"]


class ParticipationSerializer(serializers.ModelSerializer):
    framework = serializers.SlugRelatedField(slug_field="code", read_only=True)
    iso3 = serializers.CharField(source="state.iso3", read_only=True)
    name = serializers.CharField(source="state.name", read_only=True)
    joined = serializers.DateField(source="start", allow_null=True, read_only=True)

    class Meta:
        model = Participation
        fields = ["id", "framework", "iso3", "name", "joined", "start_precision", "end", "end_reason", "note", "source"]


class AllianceStateSerializer(serializers.Serializer):
    """A member or partner as of the date asked: the name and COW code in force then."""

    iso3 = serializers.CharField()
    iso_numeric = serializers.CharField()
    name = serializers.CharField(help_text="The name in force on the date asked.")
    cow_code = serializers.IntegerField(allow_null=True, help_text="The Correlates of War code on that date.")
    status = serializers.CharField()
    joined = serializers.DateField(allow_null=True, help_text="First day; see joined_precision.")
    joined_text = serializers.CharField(allow_null=True, help_text="The start at its source's precision.")
    joined_precision = serializers.ChoiceField(choices=["day", "month", "unknown"])


class AllianceSerializer(serializers.Serializer):
    """An organisation's members and partners on a date."""

    organisation = serializers.CharField()
    on = serializers.DateField()
    states = AllianceStateSerializer(many=True)


class CountryNoteSerializer(serializers.ModelSerializer):
    state = serializers.SlugRelatedField(slug_field="iso3", queryset=State.objects.all())
    label = LabelField()
    author = serializers.SerializerMethodField(help_text="User name of the author; empty for a shipped note.")

    class Meta:
        model = CountryNote
        fields = ["id", "state", "title", "body", "source", "label", "author", "created", "updated"]
        read_only_fields = ["created", "updated"]

    def get_author(self, note: CountryNote) -> str:
        """Always present: a ``source="author.username"`` field with a default was left out of PATCH
        answers (DRF skips defaults under ``partial``), against the schema (found by schemathesis)."""
        return note.author.username if note.author else ""
