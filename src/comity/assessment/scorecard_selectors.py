"""The Allies' scorecard of a year: four indicators of comity's own, combined after the OECD/JRC
Handbook, each Ally's rank shown with its range (``assessment.scorecard``).

The indicators, each the figure of its own page:

* ``defence_share_gdp``: NATO's defence expenditure as a share of GDP (burden sharing);
* ``equipment_share``: NATO's major-equipment share of defence expenditure (burden sharing);
* ``cohesion_kappa``: the Ally's mean kappa with the other Allies in UN votes (political cohesion);
* ``interoperability_strength``: its shared engagements with other nations that year, from the
  engagement records the viewer may see (interoperability), so the scorecard too is computed from
  what the viewer may see.

An Ally without a figure for one of them is not ranked, and the scorecard names it and the
figure it lacks: a missing figure is never read as a zero. The years are those all four cover.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from comity.assessment.cohesion_selectors import cohesion_table, cohesion_years
from comity.assessment.interoperability_selectors import network_visible
from comity.assessment.scorecard import Aggregation, IndicatorSpec, Normalisation, Scorecard, scorecard
from comity.assessment.selectors import burden_table, burden_years
from comity.core.models import User

INDICATORS = (
    IndicatorSpec("defence_share_gdp", "Defence expenditure, % of GDP"),
    IndicatorSpec("equipment_share", "Major equipment, % of defence expenditure"),
    IndicatorSpec("cohesion_kappa", "UN vote cohesion with the Allies (kappa)"),
    IndicatorSpec("interoperability_strength", "Shared engagements (records you may see)"),
)
#: The last year of NATO equipment shares in the shipped data (docs/assessment.md).
LAST_EQUIPMENT_YEAR = 2019


def scorecard_years() -> range:
    """The years every indicator covers."""
    burden, cohesion = burden_years(), cohesion_years()
    return range(max(burden[0], cohesion[0]), min(burden[-1], cohesion[-1], LAST_EQUIPMENT_YEAR) + 1)


@dataclass(frozen=True)
class AllyScores:
    iso3: str
    name: str
    values: dict[str, float | None]


@dataclass(frozen=True)
class ScorecardPage:
    year: int
    card: Scorecard | None
    ranked: list[AllyScores]
    unranked: list[tuple[AllyScores, list[str]]]


def ally_values(user: User | AnonymousUser, year: int) -> list[AllyScores]:
    """Each Ally's four figures for ``year`` (None where the indicator has none)."""
    burden = burden_table(year)
    cohesion = {row.iso3: row.with_allies.kappa for row in cohesion_table(year, ()).rows}
    network = network_visible(user, year)
    strength = {nation.iso3: nation.strength for nation in network.nations}
    rows = {row.iso3: row for row in burden.rows}
    result = []
    for iso3, name in sorted(burden.names.items(), key=lambda item: item[1]):
        row = rows.get(iso3)
        result.append(
            AllyScores(
                iso3,
                name,
                {
                    "defence_share_gdp": row.defence_share_gdp.value if row and row.defence_share_gdp else None,
                    "equipment_share": row.equipment_share.value if row and row.equipment_share else None,
                    "cohesion_kappa": cohesion.get(iso3),
                    "interoperability_strength": float(strength.get(iso3, 0)),
                },
            )
        )
    return result


def _missing(scores: AllyScores) -> list[str]:
    return [spec.name for spec in INDICATORS if scores.values[spec.code] is None]


def scorecard_page(
    user: User | AnonymousUser,
    year: int,
    *,
    weights: Sequence[float] | None = None,
    normalisation: Normalisation = "min-max",
    aggregation: Aggregation = "arithmetic",
) -> ScorecardPage:
    scores = ally_values(user, year)
    complete = [s for s in scores if all(v is not None for v in s.values.values())]
    unranked = [
        (s, [spec.name for spec in INDICATORS if s.values[spec.code] is None]) for s in scores if s not in complete
    ]
    card = None
    if len(complete) >= 2:
        card = scorecard(
            {s.iso3: {k: float(v) for k, v in s.values.items() if v is not None} for s in complete},
            INDICATORS,
            weights=weights,
            normalisation=normalisation,
            aggregation=aggregation,
            seed=year,
        )
        complete.sort(key=lambda s: (card.ranks[s.iso3].rank, s.name))
    return ScorecardPage(year, card, complete, unranked)
