"""The burden-sharing indicator: the pure function on hand-made figures, the reading of the
shipped files, and validation checks against published facts, each naming its source."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from comity.assessment import selectors
from comity.assessment.burden import Figure, Measure, Provenance, burden_sharing
from comity.assessment.burden_files import ASSESSMENT_DIR, EDITIONS, NATO_TABLE, PASSPORT, read_burden_figures
from comity.data import PACKAGE_DATA
from comity.registry.loader import DataFileError

OLD = Provenance("NATO 2019", "2019-06", estimate=True, verified=False, note="")
NEW = Provenance("NATO 2024", "2024-06", estimate=False, verified=True, note="")


def fig(iso3: str, measure: Measure, value: float, provenance: Provenance = NEW, year: int = 2019) -> Figure:
    return Figure(iso3, year, measure, value, provenance)


# -- the pure function -------------------------------------------------------------------------


def test_the_newest_edition_replaces_an_older_estimate() -> None:
    figures = [
        fig("EST", Measure.DEFENCE_SHARE_GDP, 2.13, OLD),
        fig("EST", Measure.DEFENCE_SHARE_GDP, 1.99, NEW),
        fig("EST", Measure.EQUIPMENT_SHARE, 19.4, OLD),
    ]
    [row] = burden_sharing(figures, year=2019, allies={"EST"})
    assert row.defence_share_gdp == figures[1] and row.meets_2pct is False
    assert row.equipment_share == figures[2] and row.meets_20pct is False


def test_the_guidelines_are_at_or_above_and_a_missing_figure_is_neither_met_nor_failed() -> None:
    figures = [fig("DNK", Measure.DEFENCE_SHARE_GDP, 2.0), fig("FRA", Measure.EQUIPMENT_SHARE, 20.0)]
    dnk, fra = burden_sharing(figures, year=2019, allies={"DNK", "FRA"})
    assert (dnk.meets_2pct, dnk.meets_20pct) == (True, None)
    assert (fra.meets_2pct, fra.meets_20pct) == (None, True)


def test_non_allies_other_years_and_sipri_alone_make_no_row() -> None:
    figures = [
        fig("SWE", Measure.DEFENCE_SHARE_GDP, 1.04),  # in NATO's table, not yet an Ally
        fig("ISL", Measure.SIPRI_SHARE_GDP, 0.1),  # an Ally with only a SIPRI figure
        fig("NOR", Measure.DEFENCE_SHARE_GDP, 1.84, year=2018),
        fig("NOR", Measure.SIPRI_SHARE_GDP, 1.85),
        fig("NOR", Measure.EQUIPMENT_SHARE, 29.5),
    ]
    [row] = burden_sharing(figures, year=2019, allies={"ISL", "NOR"})
    assert row.iso3 == "NOR" and row.defence_share_gdp is None and row.sipri_share_gdp is not None


# -- the shipped files -------------------------------------------------------------------------


def _copy(tmp_path: Path) -> Path:
    directory = tmp_path / "assessment"
    shutil.copytree(ASSESSMENT_DIR, directory)
    return directory


def _rewrite(path: Path, change: dict[str, str], where: dict[str, str]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    for row in rows:
        if all(row[k] == v for k, v in where.items()):
            row.update(change)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_every_shipped_figure_names_its_source_and_edition() -> None:
    figures = read_burden_figures()
    assert len(figures) > 1000
    assert all(f.provenance.source and f.provenance.edition for f in figures)


def test_a_figure_without_a_provenance_row_stops_the_read(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    _rewrite(directory / EDITIONS, {"first_year": "2016"}, {"file": NATO_TABLE, "first_year": "2015"})
    with pytest.raises(DataFileError, match="provenance of defence_share_gdp in 2015"):
        read_burden_figures(directory)


def test_an_estimate_column_not_marked_as_an_estimate_stops_the_read(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    _rewrite(directory / EDITIONS, {"estimate": "no"}, {"file": NATO_TABLE, "first_year": "2024"})
    with pytest.raises(DataFileError, match="marks 2024e as an estimate"):
        read_burden_figures(directory)


def test_a_figure_that_is_not_a_share_stops_the_read(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    _rewrite(directory / PASSPORT, {"Equipment expenditure (%)": "n/a"}, {"country_stanag": "BEL", "year": "2015"})
    with pytest.raises(DataFileError, match=r"line 13, field 'Equipment expenditure \(%\)'"):
        read_burden_figures(directory)


def test_the_stanag_codes_of_the_nato_file_are_the_allies_iso_codes() -> None:
    """passport's STANAG 1059 codes are read as ISO alpha-3 codes: true of these 29 Allies."""
    with (PACKAGE_DATA / "registry" / "nato_members_and_partners.csv").open(encoding="utf-8") as handle:
        members = {row["iso3"] for row in csv.DictReader(handle) if row["framework"] == "NATO member"}
    with (ASSESSMENT_DIR / PASSPORT).open(encoding="utf-8") as handle:
        codes = {row["country_stanag"] for row in csv.DictReader(handle)}
    assert len(codes) == 29 and codes <= members


# -- validation against published facts --------------------------------------------------------


def _at_2pct(year: int) -> set[str]:
    return {row.iso3 for row in selectors.burden_table(year).rows if row.meets_2pct}


@pytest.mark.django_db
def test_2014_three_allies_at_2pct() -> None:
    """NATO Secretary General, June 2024 (reported by BGNES, "Stoltenberg to Biden: 23 NATO members
    allocate 2% of GDP to defense"): at the 2014 summit only the US, Britain and Greece met 2%."""
    assert _at_2pct(2014) == {"USA", "GBR", "GRC"}
    assert all(row.defence_share_gdp.provenance.verified for row in selectors.burden_table(2014).rows)


@pytest.mark.django_db
def test_2022_seven_allies_at_2pct() -> None:
    """UK Ministry of Defence, Finance and economics annual statistical bulletin: international
    defence 2023 (11 April 2024), from NATO's figures: 7 NATO countries met the 2% guideline in
    2022, Greece, the USA, Lithuania, the UK, Poland, Estonia and Latvia."""
    assert _at_2pct(2022) == {"GRC", "USA", "LTU", "GBR", "POL", "EST", "LVA"}


@pytest.mark.django_db
def test_uk_at_2pct_every_year() -> None:
    """The same MOD bulletin: the UK has met NATO's 2% guideline every year since 2006."""
    assert all("GBR" in _at_2pct(year) for year in range(2012, 2025))


@pytest.mark.django_db
def test_2023_count_disagrees_with_nato_and_is_marked_unverified() -> None:
    """NATO reported 11 Allies at 2% in 2023 (Secretary General's Annual Report 2023, reported by
    Express & Star / PA on 10 April 2024; AFP via Hurriyet Daily News, February 2024: "from 11 last
    year"). The shipped column gives 10 (Slovakia 1.84 where NATO gave 2.05), so every 2023 figure
    is marked unverified rather than shown as NATO's (docs/assessment.md)."""
    at_2pct = _at_2pct(2023)
    assert len(at_2pct) == 10 and "SVK" not in at_2pct and "DNK" in at_2pct
    assert not any(row.defence_share_gdp.provenance.verified for row in selectors.burden_table(2023).rows)


@pytest.mark.django_db
def test_2024_estimates_disagree_with_nato_and_are_marked() -> None:
    """NATO Secretary General, June 2024 (BGNES): 23 Allies at 2% in 2024. The shipped ``2024e``
    column gives 18 (shared/data/SOURCES.md), so each figure is an estimate and unverified."""
    rows = selectors.burden_table(2024).rows
    assert len(_at_2pct(2024)) == 18
    assert all(r.defence_share_gdp.provenance.estimate and not r.defence_share_gdp.provenance.verified for r in rows)


@pytest.mark.django_db
def test_germany_reaches_2pct_in_2024_for_the_first_time_since_2014() -> None:
    """NATO's 2024 estimates, reported by European Pravda via Censor.NET (June 2024): this year
    Germany reaches 2% for the first time since 2014."""
    assert "DEU" in _at_2pct(2024)
    assert not any("DEU" in _at_2pct(year) for year in range(2014, 2024))


@pytest.mark.django_db
def test_allies_are_the_members_of_the_year() -> None:
    """NATO's enlargement dates (registry): North Macedonia joined on 27 March 2020, Finland on 4
    April 2023, Sweden on 7 March 2024; Iceland has no armed forces and no figure. NATO's 2024
    table lists Finland and Sweden for every year, before they were Allies."""
    allies = {year: {row.iso3 for row in selectors.burden_table(year).rows} for year in (2019, 2020, 2023, 2024)}
    assert len(allies[2019]) == 28 and not allies[2019] & {"MKD", "FIN", "SWE", "ISL"}
    assert "MKD" in allies[2020] and "FIN" not in allies[2020]
    assert "FIN" in allies[2023] and "SWE" not in allies[2023]
    assert len(allies[2024]) == 31 and "SWE" in allies[2024]


@pytest.mark.django_db
def test_2019_equipment_shares_are_nato_estimates_of_june_2019() -> None:
    """NATO's press release of 25 June 2019 (nato.int news_167080) gives 2019 as estimates; its
    equipment shares are the only ones shipped, so 2019's equipment figures are marked estimates
    while the share of GDP comes from the later June 2024 table."""
    rows = selectors.burden_table(2019).rows
    assert all(
        r.equipment_share.provenance.edition == "2019-06" and r.equipment_share.provenance.estimate for r in rows
    )
    assert all(r.defence_share_gdp.provenance.edition == "2024-06" for r in rows)
    assert selectors.burden_table(2020).rows[0].equipment_share is None
