"""The burden-sharing indicator: each Ally's defence expenditure against NATO's two guidelines.

A pure function of plain records (no ORM, no files), so that it is tested on hand-made figures and
the selector, the page, the API and ``comity assess burden`` all give the same answer. The method
and its caveats are in ``docs/assessment.md``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

#: Defence expenditure of at least 2% of GDP and at least 20% of it on major equipment: the
#: guidelines the Allies agreed to move towards at the Wales Summit (Declaration of 5 September
#: 2014, paragraph 14).
GDP_GUIDELINE = 2.0
EQUIPMENT_GUIDELINE = 20.0


class Measure(StrEnum):
    """What a figure measures, in per cent."""

    DEFENCE_SHARE_GDP = "defence_share_gdp"
    """NATO's defence expenditure as a share of GDP."""
    EQUIPMENT_SHARE = "equipment_share"
    """NATO's major-equipment expenditure as a share of defence expenditure."""
    SIPRI_SHARE_GDP = "sipri_share_gdp"
    """SIPRI's military expenditure as a share of GDP: a cross-check, never a guideline figure."""


@dataclass(frozen=True)
class Provenance:
    """Where a figure comes from. ``edition`` (``YYYY-MM`` or ``YYYY``) orders two publications of
    the same figure; ``estimate`` is the publisher's own flag; ``verified`` says whether comity
    checked the figure (or the headline it feeds) against the publisher's own release, and
    ``note`` says how, or why not."""

    source: str
    edition: str
    estimate: bool
    verified: bool
    note: str


@dataclass(frozen=True)
class Figure:
    """One published number for one state and year."""

    iso3: str
    year: int
    measure: Measure
    value: float
    provenance: Provenance


@dataclass(frozen=True)
class BurdenRow:
    """One Ally in one year. A figure that no source gives is ``None``, and so is the guideline
    test that depends on it: missing is never read as failing (or meeting) a guideline."""

    iso3: str
    year: int
    defence_share_gdp: Figure | None
    equipment_share: Figure | None
    sipri_share_gdp: Figure | None

    @property
    def meets_2pct(self) -> bool | None:
        return None if self.defence_share_gdp is None else self.defence_share_gdp.value >= GDP_GUIDELINE

    @property
    def meets_20pct(self) -> bool | None:
        return None if self.equipment_share is None else self.equipment_share.value >= EQUIPMENT_GUIDELINE


def latest_edition(figures: Iterable[Figure]) -> dict[tuple[str, Measure], Figure]:
    """Per state and measure, the figure of the newest edition: NATO revises past years in each
    release (GDP series change), so a later table's figure replaces an earlier table's estimate."""
    chosen: dict[tuple[str, Measure], Figure] = {}
    for figure in figures:
        key = (figure.iso3, figure.measure)
        if key not in chosen or figure.provenance.edition > chosen[key].provenance.edition:
            chosen[key] = figure
    return chosen


def burden_sharing(figures: Iterable[Figure], *, year: int, allies: Collection[str]) -> list[BurdenRow]:
    """The indicator for ``year``: one row per Ally (ISO alpha-3 in ``allies``) that has a NATO
    figure that year, sorted by code.

    A state outside ``allies`` is left out even where NATO's table lists it (the 2024 table gives
    Finland and Sweden for every year since 2014, before they joined). A SIPRI figure alone makes
    no row, since the guidelines are NATO's; beside a NATO figure it is the cross-check.
    """
    chosen = latest_edition(f for f in figures if f.year == year and f.iso3 in allies)
    nato = {iso3 for (iso3, measure) in chosen if measure is not Measure.SIPRI_SHARE_GDP}
    return [
        BurdenRow(
            iso3=iso3,
            year=year,
            defence_share_gdp=chosen.get((iso3, Measure.DEFENCE_SHARE_GDP)),
            equipment_share=chosen.get((iso3, Measure.EQUIPMENT_SHARE)),
            sipri_share_gdp=chosen.get((iso3, Measure.SIPRI_SHARE_GDP)),
        )
        for iso3 in sorted(nato)
    ]
