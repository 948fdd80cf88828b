"""The political-cohesion indicator on the shipped UN votes: the reader's checks, and the
indicator against published facts (each test names its source)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from comity.assessment import cohesion_selectors as selectors
from comity.assessment.cohesion import pair_scores
from comity.assessment.un_votes_files import (
    ASSESSMENT_DIR,
    IDEALPOINTS,
    ROLL_CALLS,
    VOTES,
    read_idealpoints,
    read_roll_call_years,
    read_votes,
)
from comity.registry.loader import DataFileError


def test_the_shipped_votes_are_all_read() -> None:
    years = read_votes()
    # SOURCES.md: 321,308 votes on 1,860 roll calls of sessions 55-74.
    assert sorted(years) == list(range(2000, 2020))
    assert sum(int((year.matrix != -1).sum()) for year in years.values()) == 321_308
    assert sum(len(year.roll_calls) for year in years.values()) == 1_860
    assert len(read_roll_call_years()) == 1_860


def test_ideal_points_keep_germany_and_drop_the_ambiguous_nauru() -> None:
    points = read_idealpoints()
    assert min(points) == 1946 and max(points) == 2012
    assert "GMY" in points[2005] and "GFR" not in points[2005]  # GFR after 1990 is unified Germany
    assert "GFR" in points[1985] and "GMY" not in points[1985]
    assert all("NAU" not in points[year] for year in range(2000, 2013))  # two different rows a year


def _shipped_copy(tmp_path: Path) -> Path:
    for name in (VOTES, ROLL_CALLS, IDEALPOINTS):
        (tmp_path / name).write_bytes((ASSESSMENT_DIR / name).read_bytes())
    return tmp_path


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("4238,US,maybe\n", "vote"),
        ("4238,usa,yes\n", "country_code"),
        ("99999999,US,yes\n", "rcid"),
        ("1,US,yes\n", "rcid"),
    ],
)
def test_a_bad_vote_line_stops_the_read_naming_file_line_and_field(tmp_path: Path, line: str, field: str) -> None:
    directory = _shipped_copy(tmp_path)
    with gzip.open(directory / VOTES, "at", encoding="utf-8", newline="") as handle:
        handle.write(line)
    with pytest.raises(DataFileError) as error:
        read_votes(directory)
    # The header is line 1 and the 321,308 shipped votes lines 2 to 321,309.
    assert str(error.value).startswith(f"{VOTES}, line 321310, field '{field}'")


@pytest.mark.django_db
def test_two_allies_agree_more_than_an_ally_and_russia_in_every_year() -> None:
    """Issue 13's validation: UNGA agreement between two Allies (the United States and the United
    Kingdom) is higher than between an Ally and Russia, in each session 2000-2019 (Voeten,
    Strezhnev & Bailey; Bailey, Strezhnev & Voeten 2017 show the same split after 1991)."""
    for year in selectors.cohesion_years():
        votes = selectors.year_votes(year)
        allies, with_russia = pair_scores(votes, [("USA", "GBR"), ("USA", "RUS")])
        assert allies.agreement > with_russia.agreement, year
        assert allies.kappa > with_russia.kappa, year


@pytest.mark.django_db
def test_the_alliance_agrees_with_itself_more_than_with_russia_or_china() -> None:
    for row in selectors.cohesion_series(("RUS", "CHN")):
        assert row["alliance_agreement"] > row["agreement_RUS"], row["year"]
        assert row["alliance_agreement"] > row["agreement_CHN"], row["year"]


@pytest.mark.django_db
def test_ideal_points_put_the_united_kingdom_nearer_the_united_states_than_russia() -> None:
    """Bailey, Strezhnev & Voeten (2017): the US and Russia stand far apart on the main dimension."""
    for year in range(2000, 2013):
        points = selectors.idealpoints_in(year)
        assert abs(points["USA"] - points["GBR"]) < abs(points["USA"] - points["RUS"]), year


@pytest.mark.django_db
def test_a_year_counts_the_allies_of_31_december() -> None:
    # Croatia and Albania joined on 1 April 2009: Allies of session-year 2009, not of 2008.
    assert {"ALB", "HRV"} <= set(selectors.cohesion_table(2009).allies)
    assert not {"ALB", "HRV"} & set(selectors.cohesion_table(2008).allies)
    table = selectors.cohesion_table(2019)
    assert len(table.allies) == 29 and table.alliance.pairs == 29 * 28 // 2
    assert set(table.others) == {"RUS", "CHN"} and all(len(row.with_others) == 2 for row in table.rows)


@pytest.mark.django_db
def test_an_ally_named_as_a_state_to_compare_is_not_compared_with_itself() -> None:
    table = selectors.cohesion_table(2019, ["USA", "UKR"])
    assert set(table.others) == {"UKR"}


@pytest.mark.django_db
def test_greece_2010_is_the_outlier_the_docs_describe() -> None:
    """docs/assessment.md names Greece's session 65 as a source anomaly shown as is: keep it true."""
    kappas = {}
    for year in selectors.cohesion_years():
        [greece] = [row for row in selectors.cohesion_table(year, ()).rows if row.iso3 == "GRC"]
        kappas[year] = greece.with_allies.kappa
    assert kappas.pop(2010) < 0.1
    assert min(kappas.values()) > 0.75
