"""Serializers of core: labels (JSON and STANAG 4774 XML), change-log entries, the user."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from comity.core.banner import label_spec
from comity.core.label_xml import to_xml
from comity.core.labels import spec_to_dict
from comity.core.markings import LANGUAGES, display_marking
from comity.core.models import AuditEntry, CategoryTag, ConfidentialityLabel, User

LABEL_SCHEMA = {
    "type": "object",
    "properties": {
        "policy": {"type": "string"},
        "classification": {"type": "string"},
        "categories": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "tag_name": {"type": "string"},
                    "type": {"type": "string", "enum": ["PERMISSIVE", "RESTRICTIVE", "INFORMATIVE"]},
                    "values": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
        "created": {"type": "string", "format": "date-time", "nullable": True},
        "marking": {"type": "string"},
    },
    "description": "On input, a marking such as 'NATO RESTRICTED REL TO NATO, FIN' or this object.",
}


@extend_schema_field(LABEL_SCHEMA)
class LabelField(serializers.Field):
    """A label as its JSON form on output; a marking string or label JSON on input."""

    def to_representation(self, value: ConfidentialityLabel) -> dict[str, Any]:
        return spec_to_dict(label_spec(value))

    def to_internal_value(self, data: Any) -> ConfidentialityLabel:
        from comity.core.labels import LabelError, label_get_or_create, parse_marking, spec_from_dict

        try:
            spec = parse_marking(data) if isinstance(data, str) else spec_from_dict(data)
            return label_get_or_create(spec)
        except LabelError as exc:
            raise serializers.ValidationError(str(exc)) from exc


class ConfidentialityLabelSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()
    display_markings = serializers.SerializerMethodField()
    xml = serializers.SerializerMethodField()

    class Meta:
        model = ConfidentialityLabel
        fields = ["id", "marking", "display_markings", "label", "xml"]

    def get_display_markings(self, obj: ConfidentialityLabel) -> dict[str, str]:
        """The SPIF's full marking in each language (``marking`` is the compact form)."""
        spec = label_spec(obj)
        return {lang: display_marking(spec, lang) for lang in LANGUAGES}

    @extend_schema_field(LABEL_SCHEMA)
    def get_label(self, obj: ConfidentialityLabel) -> dict[str, Any]:
        return spec_to_dict(label_spec(obj))

    def get_xml(self, obj: ConfidentialityLabel) -> str:
        tags = dict(CategoryTag.objects.filter(policy=obj.policy_id).values_list("name", "oid"))
        return to_xml(label_spec(obj), policy_oid=obj.policy.oid, tag_oids=tags)


class AuditEntrySerializer(serializers.ModelSerializer):
    label = LabelField(read_only=True)
    object_type = serializers.CharField(source="content_type.model", read_only=True)

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "time",
            "username",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "before",
            "after",
            "label",
        ]


class MeSerializer(serializers.ModelSerializer):
    clearances = serializers.SerializerMethodField()
    groups = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["username", "nationality", "clearances", "groups"]

    def get_clearances(self, obj: User) -> dict[str, str]:
        return {c.policy.name: c.classification.name for c in obj.clearances.select_related("policy", "classification")}

    def get_groups(self, obj: User) -> list[str]:
        from comity.core.selectors import subject_for

        subject = subject_for(obj)
        return sorted({value for tag, value in subject.holdings if tag == "Releasable To"} - {obj.nationality})


class DeskItemSerializer(serializers.Serializer):
    """One line of a desk panel: its text, its marking (the bound of its labels), where it leads."""

    text = serializers.CharField()
    marking = serializers.CharField()
    url = serializers.CharField(allow_blank=True)
    when = serializers.DateField(allow_null=True)


class DeskPanelSerializer(serializers.Serializer):
    """A desk panel with the caller's items (``core.desk``)."""

    key = serializers.CharField(source="panel.key")
    title = serializers.CharField(source="panel.title")
    needs_attention = serializers.BooleanField(source="panel.needs_attention")
    more = serializers.BooleanField(help_text="Whether there are more items than the limit.")
    items = DeskItemSerializer(many=True)


class DeskQuerySerializer(serializers.Serializer):
    """The desk's query: how many items per panel (all of them with ``all``)."""

    limit = serializers.IntegerField(min_value=1, max_value=1000, required=False)
    all = serializers.BooleanField(required=False, help_text="Every item of every panel (the limit is ignored).")
    attention = serializers.BooleanField(required=False, help_text="Only the panels that need the caller to act.")


class DeskSerializer(serializers.Serializer):
    marking = serializers.CharField(help_text="The least upper bound of every item's labels: the response's marking.")
    panels = DeskPanelSerializer(many=True)
