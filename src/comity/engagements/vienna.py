"""OSCE Vienna Document 2011 (FSC.DOC/1/11), Chapter V: prior notification of military activities.

An activity is notifiable when it reaches any threshold below at any time (artillery: self-
propelled and towed artillery, mortars and multiple rocket launchers of 100 mm calibre and above);
notification is due 42 days or more before it starts. The thresholds are the values commonly cited
for Chapter V (paragraphs 38 and 40.1); see docs/engagements.md for how they were checked. The
Document has further triggers (e.g. amphibious or parachute landings of 3,000 troops) that are not
modelled. Pure Python: the engagements' deadline list and the planning solvers both use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

NOTIFICATION_LEAD_DAYS = 42
THRESHOLDS = {"troops": 9000, "battle_tanks": 250, "armoured_combat_vehicles": 500, "artillery_pieces": 250}
#: The annual exchange of military information falls due on 15 December (Chapter I).
ANNUAL_EXCHANGE_DUE = (12, 15)


@dataclass(frozen=True)
class Notifiability:
    notifiable: bool
    crossed: tuple[str, ...]
    notification_due: date | None


def assess(
    *,
    start: date | None,
    troops: int | None,
    battle_tanks: int | None = None,
    armoured_combat_vehicles: int | None = None,
    artillery_pieces: int | None = None,
) -> Notifiability:
    """Which thresholds an activity crosses and the last day its notification may be given."""
    values = {
        "troops": troops,
        "battle_tanks": battle_tanks,
        "armoured_combat_vehicles": armoured_combat_vehicles,
        "artillery_pieces": artillery_pieces,
    }
    crossed = tuple(name for name, limit in THRESHOLDS.items() if (values[name] or 0) >= limit)
    due = notification_due(start) if crossed and start else None
    return Notifiability(bool(crossed), crossed, due)


def notification_due(start: date) -> date:
    """The last day to notify an activity starting on ``start``; for a start in the first 42
    days Python can date, that day has no ``date``, so the first one stands in (long past)."""
    if start - date.min < timedelta(days=NOTIFICATION_LEAD_DAYS):
        return date.min
    return start - timedelta(days=NOTIFICATION_LEAD_DAYS)


def annual_exchange_due(year: int) -> date:
    """The date the annual exchange of military information for the next year is due."""
    month, day = ANNUAL_EXCHANGE_DUE
    return date(year, month, day)
