"""The political-cohesion API's query and answer; the query serializer also checks the page's and
the CLI's parameters, so the three accept and refuse exactly the same input."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from comity.assessment.cohesion import GroupCohesion, PairScore
from comity.assessment.cohesion_selectors import (
    DEFAULT_OTHERS,
    IDEALPOINTS_SOURCE,
    MAX_OTHERS,
    VOTES_SOURCE,
    CohesionTable,
    cohesion_years,
)
from comity.registry.models import State


class CompareWithSerializer(serializers.Serializer):
    """A ``with`` parameter: the states to compare the Allies with, checked into ``others``."""

    #: The states compared when the query names none.
    default_others: tuple[str, ...] = DEFAULT_OTHERS

    # ``with`` is a Python keyword, so the field is declared as ``with_`` and renamed in ``get_fields``.
    with_ = serializers.CharField(
        required=False,
        max_length=4 * MAX_OTHERS + 16,
        help_text=f"Comma-separated ISO alpha-3 codes of up to {MAX_OTHERS} states to compare the Allies with "
        f"(default {','.join(DEFAULT_OTHERS)}).",
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["with"] = fields.pop("with_")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs["others"] = states_to_compare(attrs.pop("with", None), self.default_others)
        return attrs


class CohesionQuerySerializer(CompareWithSerializer):
    """``year`` within the shipped sessions; ``with``: ISO alpha-3 codes to compare the Allies with."""

    year = serializers.IntegerField(help_text="A session-year the shipped roll calls cover (2000 to 2019).")

    def validate_year(self, year: int) -> int:
        years = cohesion_years()
        if year not in years:
            raise serializers.ValidationError(
                f"{year} is outside the years the shipped roll calls cover ({years[0]} to {years[-1]})"
            )
        return year


def states_to_compare(raw: str | None, default: tuple[str, ...]) -> list[str]:
    """A ``with`` parameter: comma-separated ISO alpha-3 codes of registry states, at most
    ``MAX_OTHERS`` (``default`` when absent); else a ``ValidationError`` naming the bad codes."""
    codes = [code.strip().upper() for code in raw.split(",") if code.strip()] if raw else list(default)
    codes = list(dict.fromkeys(codes))
    if len(codes) > MAX_OTHERS:
        raise serializers.ValidationError({"with": f"at most {MAX_OTHERS} states, not {len(codes)}"})
    known = set(State.objects.filter(iso3__in=codes).values_list("iso3", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise serializers.ValidationError({"with": f"not states of the registry: {', '.join(unknown)}"})
    return codes


class GroupCohesionSerializer(serializers.Serializer):
    pairs = serializers.IntegerField(help_text="Pairs with at least one roll call both voted in.")
    agreement = serializers.FloatField(allow_null=True, help_text="Mean share of roll calls voted alike.")
    kappa = serializers.FloatField(allow_null=True, help_text="Mean Cohen's kappa (chance-corrected).")


class PairScoreSerializer(serializers.Serializer):
    first = serializers.CharField()
    second = serializers.CharField()
    votes = serializers.IntegerField(help_text="Roll calls both voted in (yes, abstain or no).")
    agreement = serializers.FloatField(allow_null=True)
    kappa = serializers.FloatField(allow_null=True)
    idealpoint_distance = serializers.FloatField(allow_null=True, help_text="Null after 2012 (no ideal points).")


class CohesionSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    allies = serializers.DictField(child=serializers.CharField(), help_text="ISO code to the name in force then.")
    others = serializers.DictField(child=serializers.CharField())
    alliance = GroupCohesionSerializer(help_text="Over every pair of Allies.")
    against = serializers.DictField(child=GroupCohesionSerializer(), help_text="The Allies with each compared state.")
    pairs = PairScoreSerializer(many=True)
    sources = serializers.ListField(child=serializers.CharField())


def cohesion_answer(table: CohesionTable) -> dict[str, Any]:
    """The API's answer (and the CLI's JSON) for one year."""

    def group(cohesion: GroupCohesion) -> dict[str, Any]:
        return GroupCohesionSerializer(cohesion).data

    def pair(score: PairScore) -> dict[str, Any]:
        return PairScoreSerializer(score).data

    return {
        "year": table.year,
        "allies": table.allies,
        "others": table.others,
        "alliance": group(table.alliance),
        "against": {code: group(cohesion) for code, cohesion in table.against.items()},
        "pairs": [pair(score) for score in table.pairs],
        "sources": [VOTES_SOURCE, IDEALPOINTS_SOURCE],
    }
