"""The cooperation climate's query (page and API alike) and the API's answer."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rest_framework import serializers

from comity.assessment.api.cohesion_serializers import CompareWithSerializer
from comity.assessment.cooperation_selectors import DEFAULT_OTHERS, ClimateLine

FREQUENCIES = ("year", "quarter", "month")


class CooperationQuerySerializer(CompareWithSerializer):
    """``freq`` of the periods; ``with``: the states to compare the Allies with."""

    default_others = DEFAULT_OTHERS
    freq = serializers.ChoiceField(choices=FREQUENCIES, required=False, default="year")


def _line(line: ClimateLine) -> dict[str, str]:
    return {"name": line.name, "source": line.source, "target": line.target}


def cooperation_answer(lines: list[ClimateLine], freq: str) -> dict[str, Any]:
    return {
        "freq": freq,
        "computed_from": "the event data the requester may see, through the events analytics",
        "lines": [
            {
                "name": line.name,
                "source": line.source,
                "target": line.target,
                "points": [asdict(p) for p in line.points],
            }
            for line in lines
        ],
    }
