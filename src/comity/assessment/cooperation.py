"""The cooperation climate: how cooperative the events between two parties are, period by period.

Computed from the events analytics' dyad series (``events.analytics.dyad_series``, the one copy of
the event counting): for each period, the events of both directions between the parties are added
up, and the climate is

* ``net``: (verbal + material cooperation - verbal + material conflict) / all events, from -1 (all
  conflict) to 1 (all cooperation); neutral statements count in the denominator only;
* ``goldstein_mean``: the mean Goldstein weight of all the events.

A period without events has no climate (None), never a zero: quiet is not neutral.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

COUNTS = ("events", "verbal_coop", "material_coop", "verbal_conflict", "material_conflict")


@dataclass(frozen=True)
class ClimatePoint:
    period: str
    events: int
    cooperation: int
    conflict: int
    net: float | None
    goldstein_mean: float | None


def climate(rows: Iterable[Mapping[str, object]]) -> list[ClimatePoint]:
    """One point per period of ``rows`` (series rows of either direction), periods in order."""
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in rows:
        period = str(row["period"])
        for column in COUNTS:
            totals[period][column] += float(row[column] or 0)  # type: ignore[arg-type]
        totals[period]["goldstein_sum"] += float(row["goldstein_sum"] or 0)  # type: ignore[arg-type]
    points = []
    for period in sorted(totals):
        counts = totals[period]
        events = int(counts["events"])
        cooperation = int(counts["verbal_coop"] + counts["material_coop"])
        conflict = int(counts["verbal_conflict"] + counts["material_conflict"])
        points.append(
            ClimatePoint(
                period,
                events,
                cooperation,
                conflict,
                (cooperation - conflict) / events if events else None,
                counts["goldstein_sum"] / events if events else None,
            )
        )
    return points
