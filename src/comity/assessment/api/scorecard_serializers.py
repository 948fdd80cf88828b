"""The scorecard's query (page and API alike) and the API's answer: every rank with its range."""

from __future__ import annotations

import math
from typing import Any

from rest_framework import serializers

from comity.assessment.scorecard import AGGREGATIONS, NORMALISATIONS
from comity.assessment.scorecard_selectors import INDICATORS, ScorecardPage, scorecard_years

#: The largest weight accepted (weights are scaled to sum to 1, so only their ratios matter).
MAX_WEIGHT = 1_000_000


class ScorecardQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="A year every indicator covers (2012 to 2019).")
    weights = serializers.CharField(
        required=False,
        max_length=200,
        help_text=f"{len(INDICATORS)} comma-separated non-negative weights, in the order "
        + ", ".join(spec.code for spec in INDICATORS)
        + " (default equal).",
    )
    normalisation = serializers.ChoiceField(choices=NORMALISATIONS, required=False, default="min-max")
    aggregation = serializers.ChoiceField(choices=AGGREGATIONS, required=False, default="arithmetic")

    def validate_year(self, year: int) -> int:
        years = scorecard_years()
        if year not in years:
            raise serializers.ValidationError(
                f"{year} is outside the years every indicator covers ({years[0]} to {years[-1]})"
            )
        return year

    def validate_weights(self, raw: str) -> list[float]:
        parts = [part.strip() for part in raw.split(",")]
        try:
            weights = [float(part) for part in parts]
        except ValueError as exc:
            raise serializers.ValidationError("weights must be numbers separated by commas") from exc
        if len(weights) != len(INDICATORS):
            raise serializers.ValidationError(f"give {len(INDICATORS)} weights, not {len(weights)}")
        if any(not math.isfinite(w) or w < 0 or w > MAX_WEIGHT for w in weights) or sum(weights) == 0:
            raise serializers.ValidationError(f"each weight is a number from 0 to {MAX_WEIGHT:,}, not all zero")
        return weights


def scorecard_answer(page: ScorecardPage) -> dict[str, Any]:
    card = page.card
    return {
        "year": page.year,
        "computed_from": "public figures and the engagement records the requester may see",
        "indicators": [{"code": spec.code, "name": spec.name} for spec in INDICATORS],
        "normalisation": card.normalisation if card else None,
        "aggregation": card.aggregation if card else None,
        "weights": list(card.weights) if card else None,
        "runs": card.runs if card else 0,
        "ranked": [
            {
                "iso3": s.iso3,
                "name": s.name,
                "values": s.values,
                "composite": card.composite[s.iso3],
                "rank": card.ranks[s.iso3].rank,
                "rank_range": {
                    "best": card.ranks[s.iso3].best,
                    "worst": card.ranks[s.iso3].worst,
                    "p05": card.ranks[s.iso3].p05,
                    "p95": card.ranks[s.iso3].p95,
                },
            }
            for s in page.ranked
        ]
        if card
        else [],
        "unranked": [{"iso3": s.iso3, "name": s.name, "missing": missing} for s, missing in page.unranked],
    }
