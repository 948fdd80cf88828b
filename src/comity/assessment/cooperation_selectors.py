"""Reads of the cooperation climate: the Allies among themselves, with each of NATO's partnership
frameworks, and with the states the user names, from the event data the user may see.

Every series comes from ``events.selectors.dyad_series`` (the label filter runs inside the
engine's query), both directions added; groups (NATO, PFP, ...) count their members as of each
event's date, as the event pages do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from comity.assessment.cooperation import ClimatePoint, climate
from comity.core.models import User
from comity.events import selectors as events
from comity.registry.loader import NATO
from comity.registry.models import PartnershipFramework

#: The states compared with the Allies when the user names none.
DEFAULT_OTHERS = ("RUS", "CHN")


@dataclass(frozen=True)
class ClimateLine:
    """One pair of parties: its name, the codes for the event pages, and its points."""

    name: str
    source: str
    target: str
    points: list[ClimatePoint]

    @property
    def total_events(self) -> int:
        return sum(point.events for point in self.points)

    @property
    def overall(self) -> float | None:
        """Net cooperation over all the line's events (None without events)."""
        events = self.total_events
        return sum(point.cooperation - point.conflict for point in self.points) / events if events else None


def _both_ways(user: User | AnonymousUser, first: str, second: str, freq: str) -> list[ClimatePoint]:
    rows = events.dyad_series(user, first, second, freq).to_pylist()
    if first != second:
        rows += events.dyad_series(user, second, first, freq).to_pylist()
    return climate(rows)


def cooperation_climate(
    user: User | AnonymousUser, others: Sequence[str], names: dict[str, str], *, freq: str = "year"
) -> list[ClimateLine]:
    """The Allies with each other, with each partnership framework, and with each of ``others``."""
    lines = [ClimateLine("Among the Allies", NATO, NATO, _both_ways(user, NATO, NATO, freq))]
    for code, name in PartnershipFramework.objects.filter(organisation__code=NATO).values_list("code", "name"):
        lines.append(ClimateLine(f"Allies with the {name}", NATO, code, _both_ways(user, NATO, code, freq)))
    for code in others:
        lines.append(
            ClimateLine(f"Allies with {names.get(code, code)}", NATO, code, _both_ways(user, NATO, code, freq))
        )
    return lines
