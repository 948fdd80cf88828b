"""The interoperability API's query and answer; the page checks its ``year`` with the same serializer."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rest_framework import serializers

from comity.assessment.interoperability_selectors import InteroperabilityReading

#: Years a query may name (the engagement records' own bounds).
FIRST_YEAR, LAST_YEAR = 1, 9999


class InteroperabilityQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text="The year whose nations to list (default: the latest year of the series).",
    )


class NationFiguresSerializer(serializers.Serializer):
    iso3 = serializers.CharField()
    name = serializers.CharField()
    group = serializers.ChoiceField(choices=["ally", "partner", "other"])
    engagements = serializers.IntegerField(help_text="Visible engagements it took part in that year.")
    degree = serializers.IntegerField(help_text="Nations it shared an engagement with.")
    strength = serializers.IntegerField(help_text="Sum of its links' weights (shared engagements).")
    centrality = serializers.FloatField(help_text="Weighted eigenvector centrality, 1 for the most central.")


class YearSummarySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    engagements = serializers.IntegerField()
    multinational = serializers.IntegerField()
    ally_pairs_linked = serializers.IntegerField()
    ally_pairs_possible = serializers.IntegerField()
    ally_density = serializers.FloatField(allow_null=True)
    partners_with_allies = serializers.ListField(child=serializers.CharField())


class InteroperabilitySerializer(serializers.Serializer):
    computed_from = serializers.CharField()
    series = YearSummarySerializer(many=True)
    year = serializers.IntegerField(allow_null=True)
    nations = NationFiguresSerializer(many=True)


COMPUTED_FROM = "the engagement records the requester may see"


def interoperability_answer(reading: InteroperabilityReading) -> dict[str, Any]:
    """The API's answer: the series, and the nations of its year (none when the series lacks it)."""
    chosen = reading.chosen
    nations = chosen.nations if chosen else ()
    return {
        "computed_from": COMPUTED_FROM,
        "series": [YearSummarySerializer(network).data for network in reading.series],
        "year": chosen.year if chosen else None,
        "nations": [{**asdict(nation), "name": reading.names.get(nation.iso3, nation.iso3)} for nation in nations],
    }
