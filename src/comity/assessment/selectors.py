"""Reads of the assessment indicators.

The burden-sharing figures are public reference facts read from the shipped files once per
process (``burden_figures`` is cached; the files change only with a release). Which states were
Allies in a year comes from the registry, so that every part of comity answers "who was a member
then" the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from comity.assessment.burden import BurdenRow, Figure, Measure, Provenance, burden_sharing
from comity.assessment.burden_files import read_burden_figures
from comity.registry.loader import NATO
from comity.registry.selectors import states_on


@cache
def burden_figures() -> tuple[Figure, ...]:
    """Every shipped figure; a file that cannot be read raises ``DataFileError`` on first use."""
    return tuple(read_burden_figures())


def burden_years() -> range:
    """The years some shipped figure covers: the only years a burden query may ask for."""
    years = [figure.year for figure in burden_figures()]
    return range(min(years), max(years) + 1)


@dataclass(frozen=True)
class BurdenTable:
    """The indicator for one year, with the name of each Ally as it was then."""

    year: int
    rows: list[BurdenRow]
    names: dict[str, str]


def allies_in(year: int) -> dict[str, str]:
    """The Allies of ``year`` (ISO alpha-3 to the name in force then): NATO's members on 31
    December, so that a state that joined during the year counts for it (Finland in 2023)."""
    return {s.iso3: s.name for s in states_on(NATO, date(year, 12, 31)) if s.status == "member"}


def burden_table(year: int) -> BurdenTable:
    allies = allies_in(year)
    return BurdenTable(year, burden_sharing(burden_figures(), year=year, allies=allies), allies)


def burden_default_year() -> int:
    """The latest year in which no NATO figure is an estimate: what the page shows unasked."""
    estimated = {f.year for f in burden_figures() if f.provenance.estimate and f.measure is not Measure.SIPRI_SHARE_GDP}
    return max(f.year for f in burden_figures() if f.year not in estimated)


@dataclass(frozen=True)
class Cell:
    """A figure on the page, with the number of its source in the page's list of sources."""

    figure: Figure
    ref: int


@dataclass(frozen=True)
class PageRow:
    iso3: str
    name: str
    defence_share_gdp: Cell | None
    equipment_share: Cell | None
    sipri_share_gdp: Cell | None
    meets_2pct: bool | None
    meets_20pct: bool | None


@dataclass(frozen=True)
class BurdenPage:
    """The page's table, its numbered sources, and the bars of its chart (plain data for JSON)."""

    year: int
    rows: list[PageRow]
    sources: list[Provenance]
    chart: list[dict[str, object]]


def burden_page(year: int) -> BurdenPage:
    table = burden_table(year)
    sources: list[Provenance] = []

    def cell(figure: Figure | None) -> Cell | None:
        if figure is None:
            return None
        if figure.provenance not in sources:
            sources.append(figure.provenance)
        return Cell(figure, sources.index(figure.provenance) + 1)

    rows = [
        PageRow(
            row.iso3,
            table.names[row.iso3],
            cell(row.defence_share_gdp),
            cell(row.equipment_share),
            cell(row.sipri_share_gdp),
            row.meets_2pct,
            row.meets_20pct,
        )
        for row in table.rows
    ]
    chart = [
        {
            "iso3": row.iso3,
            "name": table.names[row.iso3],
            "value": round(row.defence_share_gdp.value, 2),
            "meets": row.meets_2pct,
            "estimate": row.defence_share_gdp.provenance.estimate,
            "verified": row.defence_share_gdp.provenance.verified,
        }
        for row in sorted(table.rows, key=lambda r: -(r.defence_share_gdp.value if r.defence_share_gdp else 0))
        if row.defence_share_gdp is not None
    ]
    return BurdenPage(year, rows, sources, chart)
