"""Indicator functions: the computations a measurement may name as its origin (``computed_by``).

Each is a pure function of its argument (a nation's ISO code) and comity's shipped data, and
returns one value per date with the provenance of its inputs, so a computed measurement says
exactly what it was computed from. ``FUNCTIONS`` is the list a computed measurement may name;
the service refuses any other name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from comity.assessment.burden import Figure, Measure


@dataclass(frozen=True, slots=True)
class Computed:
    """One computed value: the day it describes, the value, and where its inputs come from."""

    day: date
    value: float
    provenance: str


def _provenance(figure: Figure) -> str:
    flags = [
        "the publisher's estimate" if figure.provenance.estimate else "",
        "checked" if figure.provenance.verified else "not checked by comity",
    ]
    return (
        f"{figure.provenance.source}; edition {figure.provenance.edition}; {figure.iso3} {figure.year}; "
        f"{', '.join(f for f in flags if f)}. {figure.provenance.note}"
    )


def nato_defence_share_gdp(iso3: str) -> list[Computed]:
    """A nation's defence expenditure as a share of GDP per year (31 December), from NATO's tables
    as shipped for burden sharing: the newest edition's figure for each year (``burden``)."""
    from comity.assessment.selectors import burden_figures

    newest: dict[int, Figure] = {}
    for figure in burden_figures():
        if figure.iso3 != iso3 or figure.measure is not Measure.DEFENCE_SHARE_GDP:
            continue
        if figure.year not in newest or figure.provenance.edition > newest[figure.year].provenance.edition:
            newest[figure.year] = figure
    return [Computed(date(year, 12, 31), f.value, _provenance(f)) for year, f in sorted(newest.items())]


#: The indicator functions a computed measurement may name, by name.
FUNCTIONS: dict[str, Callable[[str], list[Computed]]] = {
    "nato_defence_share_gdp": nato_defence_share_gdp,
}
