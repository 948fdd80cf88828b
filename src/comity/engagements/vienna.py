"""OSCE Vienna Document 2011 (FSC.DOC/1/11), Chapter V: prior notification of military activities.

Chapter V concerns activities of land forces, including those with air or naval components: an
air-only or naval-only exercise (Air Defender 23, BALTOPS) is outside it however large. A land or
joint activity is notifiable when it reaches any threshold below at any time (artillery: self-
propelled and towed artillery, mortars and multiple rocket launchers of 100 mm calibre and above);
notification is due 42 days or more before it starts. A start known only to the month gives a
range of due dates, the earliest binding, never an invented day. The thresholds are the values
commonly cited for Chapter V; the paragraph numbers of FSC.DOC/1/11 are not checked against the
Document's text yet (docs/engagements.md says what is). Not modelled: amphibious landings and
parachute assaults, air sorties, observation, calendars, constraints, inspections, and an
activity's phases outside the zone of application. Pure Python: the engagements' deadline list
and the planning solvers both use it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

NOTIFICATION_LEAD_DAYS = 42
THRESHOLDS = {"troops": 9000, "battle_tanks": 250, "armoured_combat_vehicles": 500, "artillery_pieces": 250}
#: The annual exchange of military information falls due on 15 December (Chapter I).
ANNUAL_EXCHANGE_DUE = (12, 15)
#: Domains whose activities are not land-force activities: outside Chapter V's scope.
OUT_OF_SCOPE_DOMAINS = {"air": "an air activity", "maritime": "a naval activity"}


@dataclass(frozen=True)
class Notifiability:
    """The verdict on one activity. ``notification_due`` is the binding (earliest) last day to
    notify; ``due_until`` is the latest it could be when the start is known only to the month."""

    notifiable: bool
    crossed: tuple[str, ...]
    notification_due: date | None
    due_until: date | None = None
    out_of_scope: str = ""  # why Chapter V does not apply, when it does not

    @property
    def due_is_range(self) -> bool:
        return self.due_until is not None and self.due_until != self.notification_due


def assess(
    *,
    start: date | None,
    troops: int | None,
    battle_tanks: int | None = None,
    armoured_combat_vehicles: int | None = None,
    artillery_pieces: int | None = None,
    domain: str = "",
    precision: str = "day",
) -> Notifiability:
    """Whether Chapter V applies, which thresholds an activity crosses, and by when to notify."""
    values = {
        "troops": troops,
        "battle_tanks": battle_tanks,
        "armoured_combat_vehicles": armoured_combat_vehicles,
        "artillery_pieces": artillery_pieces,
    }
    crossed = tuple(name for name, limit in THRESHOLDS.items() if (values[name] or 0) >= limit)
    if domain in OUT_OF_SCOPE_DOMAINS:
        reason = f"{OUT_OF_SCOPE_DOMAINS[domain]}: Chapter V covers activities of land forces"
        return Notifiability(False, crossed, None, out_of_scope=reason)
    if not crossed or start is None:
        return Notifiability(bool(crossed), crossed, None)
    if precision == "month":
        first = start.replace(day=1)
        last = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        return Notifiability(True, crossed, notification_due(first), notification_due(last))
    due = notification_due(start)
    return Notifiability(True, crossed, due, due)


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
