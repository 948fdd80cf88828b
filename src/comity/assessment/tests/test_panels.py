"""Dyad-year and state-year panels: the rules on hand-made spells, the shipped panel against a
plain-Python oracle and against published facts (each naming its source), and the CLI contract."""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from comity.assessment import panels
from comity.core.testing.cli import console_script

STATE_COLUMNS = ("stateabb", "ccode", "statenme", "styear", "stmonth", "stday", "endyear", "endmonth", "endday")


def spells(*rows: tuple[int, str, int, int]) -> pa.Table:
    """A membership table in the COW layout from (ccode, name, first year, last year)."""
    return pa.table(
        {
            "ccode": [row[0] for row in rows],
            "statenme": [row[1] for row in rows],
            "styear": [row[2] for row in rows],
            "endyear": [row[3] for row in rows],
        }
    )


def capitals(*rows: tuple[int, str, str, str, float | None, float | None]) -> pa.Table:
    return pa.table(
        {
            "ccode": pa.array([row[0] for row in rows], pa.int64()),
            "capital": [row[1] for row in rows],
            "stdate": pa.array([pa.scalar(row[2]).cast(pa.date32()).as_py() for row in rows], pa.date32()),
            "enddate": pa.array([pa.scalar(row[3]).cast(pa.date32()).as_py() for row in rows], pa.date32()),
            "lat": pa.array([row[4] for row in rows], pa.float64()),
            "lng": pa.array([row[5] for row in rows], pa.float64()),
        }
    )


def triples(table: pa.Table) -> list[tuple[int, int, int]]:
    return list(zip(*(table[name].to_pylist() for name in ("ccode1", "ccode2", "year")), strict=True))


def keys(table: pa.Table) -> np.ndarray:
    """Each dyad-year as one int64, (ccode1 * 1000 + ccode2) * 10000 + year, so sets compare fast."""
    a, b, y = (table[name].to_numpy().astype(np.int64) for name in ("ccode1", "ccode2", "year"))
    return (a * 1000 + b) * 10000 + y


def dyad(table: pa.Table, a: int, b: int) -> pa.Table:
    """The rows of one directed dyad."""
    return table.filter(pc.and_(pc.equal(table["ccode1"], a), pc.equal(table["ccode2"], b)))


@pytest.fixture(scope="module")
def inputs() -> panels.PanelInputs:
    return panels.read_inputs()


@pytest.fixture(scope="module")
def directed(inputs: panels.PanelInputs) -> pa.Table:
    return panels.build_dyad_years(inputs, start=1816, end=2016, variables=("alliance", "capital_distance"))


@pytest.fixture(scope="module")
def members_by_year() -> dict[int, set[int]]:
    """The oracle: members of each year read from the shipped CSV with the csv module alone."""
    members: dict[int, set[int]] = defaultdict(set)
    with panels.COW_STATES.open(newline="") as handle:
        for row in csv.DictReader(handle):
            for year in range(int(row["styear"]), int(row["endyear"]) + 1):
                members[year].add(int(row["ccode"]))
    return members


# -- the rules, on hand-made spells --------------------------------------------------------------


def test_a_state_is_a_member_in_every_year_a_spell_touches_once() -> None:
    table = spells(
        (1, "Leaves and returns", 1900, 1901), (1, "Leaves and returns", 1901, 1903), (2, "Late", 1902, 1905)
    )
    years = panels.state_years(table, start=1900, end=1903)
    assert list(zip(years["ccode"].to_pylist(), years["year"].to_pylist(), strict=True)) == [
        (1, 1900),
        (1, 1901),
        (1, 1902),
        (1, 1903),
        (2, 1902),
        (2, 1903),
    ]


def test_directed_pairs_both_ways_undirected_once_and_a_lone_state_has_no_dyad() -> None:
    members = panels.state_years(
        spells((2, "A", 1900, 1901), (20, "B", 1901, 1901), (40, "C", 1901, 1901)), start=1900, end=1901
    )
    assert triples(panels.dyad_years(members, directed=True)) == [
        (2, 20, 1901),
        (2, 40, 1901),
        (20, 2, 1901),
        (20, 40, 1901),
        (40, 2, 1901),
        (40, 20, 1901),
    ]
    assert triples(panels.dyad_years(members, directed=False)) == [(2, 20, 1901), (2, 40, 1901), (20, 40, 1901)]


def test_the_january_capital_counts_and_a_missing_one_is_null() -> None:
    caps = capitals(
        (1, "Old", "1800-01-01", "1940-07-08", 0.0, 0.0),
        (1, "New", "1940-07-09", "2024-12-31", 0.0, 90.0),
        (2, "Here", "1800-01-01", "2024-12-31", 0.0, 0.0),
        (3, "Unknown", "1800-01-01", "2024-12-31", None, None),
    )
    dyads = pa.table(
        {
            "ccode1": pa.array([1, 1, 1], pa.int16()),
            "ccode2": pa.array([2, 2, 3], pa.int16()),
            "year": pa.array([1940, 1941, 1941], pa.int16()),
        }
    )
    capdist = panels.add_capital_distance(dyads, caps)["capdist"].to_pylist()
    quarter = math.pi / 2 * panels.EARTH_RADIUS_KM  # a quarter of the equator
    assert capdist[0] == pytest.approx(0.0, abs=1e-9)
    assert capdist[1] == pytest.approx(quarter)
    assert capdist[2] is None


def test_alliance_flags_are_looked_up_undirected_and_zero_where_atop_has_no_row() -> None:
    alliances = pa.table(
        {
            "ccode1": [2],
            "ccode2": [200],
            "year": [1949],
            **{flag: [int(flag == "atop_defense")] for flag in panels.ALLIANCE_FLAGS},
        }
    )
    dyads = pa.table(
        {
            "ccode1": pa.array([200, 2, 2], pa.int16()),
            "ccode2": pa.array([2, 200, 200], pa.int16()),
            "year": pa.array([1949, 1949, 1948], pa.int16()),
        }
    )
    added = panels.add_alliance(dyads, alliances)
    assert added["atop_defense"].to_pylist() == [1, 1, 0]
    assert added["atop_consul"].to_pylist() == [0, 0, 0]


# -- the shipped panel against the oracle ------------------------------------------------------


def test_member_counts_of_1816_and_2016_as_the_shipped_cow_file_gives_them(inputs: panels.PanelInputs) -> None:
    """COW State System Membership v2016: 23 members in 1816 (the first year), 195 in 2016 (the last)."""
    years = panels.build_state_years(inputs, start=1816, end=2016)
    counts = pa.TableGroupBy(years, "year").aggregate([("ccode", "count")]).to_pylist()
    by_year = {row["year"]: row["ccode_count"] for row in counts}
    assert (by_year[1816], by_year[2016]) == (23, 195)
    assert len(by_year) == 201


def test_a_dyad_appears_iff_both_are_members_and_exactly_once(
    directed: pa.Table, members_by_year: dict[int, set[int]]
) -> None:
    blocks = []
    for year, members in members_by_year.items():
        codes = np.array(sorted(members), dtype=np.int64)
        pairs = (codes[:, None] * 1000 + codes[None, :]) * 10000 + year
        blocks.append(pairs[~np.eye(len(codes), dtype=bool)])
    expected = np.sort(np.concatenate(blocks))
    found = np.sort(keys(directed))
    assert not (found[1:] == found[:-1]).any()  # exactly once
    assert np.array_equal(found, expected)  # iff both are members


def test_directed_is_twice_undirected_and_undirected_has_ccode1_below_ccode2(
    inputs: panels.PanelInputs, directed: pa.Table
) -> None:
    undirected = panels.build_dyad_years(inputs, start=1816, end=2016, directed=False)
    assert directed.num_rows == 2 * undirected.num_rows
    assert pc.all(pc.less(undirected["ccode1"], undirected["ccode2"])).as_py()
    mirrored = undirected.select(["ccode2", "ccode1", "year"]).rename_columns(["ccode1", "ccode2", "year"])
    both = np.concatenate([keys(undirected), keys(mirrored)])
    assert np.array_equal(np.sort(both), np.sort(keys(directed)))


def test_the_two_germanys_1955_to_1990(directed: pa.Table) -> None:
    """COW states2016: GFR (260) from 1955-05-05 and GDR (265) from 1954-03-25, both to 1990-10-02;
    Germany (255) out 1945-05-08 to 1990-10-03. By the any-day rule all three are members in 1990."""
    assert dyad(directed, 260, 265)["year"].to_pylist() == list(range(1955, 1991))
    germany = set(dyad(directed, 255, 2)["year"].to_pylist())
    assert 1946 not in germany and 1989 not in germany and {1945, 1990} <= germany
    assert dyad(directed, 255, 260)["year"].to_pylist() == [1990]


def test_usa_and_uk_are_defence_allies_from_nato_in_1949(directed: pa.Table) -> None:
    """ATOP v5 (Leeds et al. 2002): the North Atlantic Treaty, signed 4 April 1949, makes the USA (2)
    and the UK (200) defence allies from 1949; ATOP records no US-UK defence pact in 1948."""
    rows = {
        (row["ccode1"], row["year"]): row for a, b in ((2, 200), (200, 2)) for row in dyad(directed, a, b).to_pylist()
    }
    assert rows[(2, 1948)]["atop_defense"] == 0
    assert all(rows[(side, year)]["atop_defense"] == 1 for side in (2, 200) for year in range(1949, 2017))


def test_capital_distances_washington_london_and_the_yemens_1990(directed: pa.Table) -> None:
    """Washington-London is about 5,900 km as the crow flies; in 1990 the Yemen Arab Republic (678)
    and Yemen (679) were both members with Sanaa as capital, so their distance is 0."""
    usa_uk = {row["year"]: row["capdist"] for row in dyad(directed, 2, 200).to_pylist()}
    assert usa_uk[2000] == pytest.approx(5900, rel=0.005)
    assert dyad(directed, 678, 679).to_pylist()[0]["capdist"] == pytest.approx(0.0, abs=1e-6)
    assert directed["capdist"].null_count == 0  # every member has a capital every year


def test_france_moves_to_vichy_in_1941_and_back_to_paris_in_1943(inputs: panels.PanelInputs) -> None:
    """peacesciencer's cow_capitals: Vichy from 1940-07-09 to 1942-11-27; the 1 January capital counts."""
    years = {
        (row["year"]): row["capital"]
        for row in panels.capital_years(inputs.capitals).to_pylist()
        if row["ccode"] == 220
    }
    assert [years[y] for y in (1940, 1941, 1942, 1943)] == ["Paris", "Vichy", "Vichy", "Paris"]


def test_min_capital_distance_of_state_years(inputs: panels.PanelInputs) -> None:
    years = panels.build_state_years(inputs, start=1990, end=1990, variables=("capital_distance",))
    by_code = {row["ccode"]: row["mincapdist"] for row in years.to_pylist()}
    assert by_code[678] == pytest.approx(0.0, abs=1e-6)
    assert 0 < by_code[2] < 800  # Ottawa is about 735 km from Washington


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": 2000, "end": 1990}, "after"),
        ({"start": 1815, "end": 1900}, "outside"),
        ({"start": 2000, "end": 2017}, "outside"),
        ({"start": 2000, "end": 2001, "variables": ("gdp",)}, "unknown variable 'gdp'"),
        ({"start": 2000, "end": 2001, "variables": ("events",)}, "not built yet"),
        ({"start": 2000, "end": 2001, "system": "gw"}, "unknown system"),
    ],
)
def test_bad_requests_are_refused_with_a_reason(inputs: panels.PanelInputs, kwargs: dict, message: str) -> None:
    with pytest.raises(panels.PanelError, match=message):
        panels.build_dyad_years(inputs, **kwargs)


# -- the CLI contract --------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("panel", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_cli_dyad_years_writes_the_parquet_with_its_columns_and_provenance(tmp_path: Path) -> None:
    out = tmp_path / "dy.parquet"
    text = run(
        "dyad-years",
        "--system",
        "cow",
        "--directed",
        "--from",
        "1816",
        "--to",
        "1820",
        "--with",
        "alliance,capital_distance",
        "--out",
        str(out),
    )
    table = pq.read_table(out)
    assert table.column_names == ["ccode1", "ccode2", "year", *panels.ALLIANCE_FLAGS, "capdist"]
    assert table.num_rows == 5 * 23 * 22 and text.startswith(f"{table.num_rows} directed dyad-years 1816-1820")
    metadata = table.schema.metadata
    assert b"Correlates of War" in metadata[b"comity.sources"] and b"ATOP" in metadata[b"comity.sources"]


def test_cli_undirected_and_state_years(tmp_path: Path) -> None:
    run("dyad-years", "--undirected", "--from", "2016", "--to", "2016", "--out", str(tmp_path / "u.parquet"))
    assert pq.read_table(tmp_path / "u.parquet").num_rows == 195 * 194 // 2
    run(
        "state-years",
        "--from",
        "2016",
        "--to",
        "2016",
        "--with",
        "capital_distance",
        "--out",
        str(tmp_path / "s.parquet"),
    )
    states = pq.read_table(tmp_path / "s.parquet")
    assert states.column_names == ["ccode", "statenme", "year", "mincapdist"] and states.num_rows == 195


@pytest.mark.parametrize(
    "args",
    [
        ("dyad-years", "--from", "2000", "--to", "1990"),
        ("dyad-years", "--from", "1700", "--to", "1990"),
        ("dyad-years", "--with", "alliance,,capital_distance"),
        ("dyad-years", "--with", "events"),
        ("state-years", "--with", "alliance"),
        ("dyad-years", "--system", "gw"),
    ],
)
def test_cli_bad_input_is_a_usage_error(tmp_path: Path, args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError) as caught:
        run(*args, "--out", str(tmp_path / "x.parquet"))
    assert caught.value.returncode == 2
    assert not (tmp_path / "x.parquet").exists()


def test_cli_refuses_an_out_file_in_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such directory") as caught:
        run("state-years", "--out", str(tmp_path / "missing" / "s.parquet"))
    assert caught.value.returncode == 2


def test_the_console_script_exits_2_without_a_traceback(tmp_path: Path) -> None:
    done = console_script(
        tmp_path, "panel", "dyad-years", "--from", "2016", "--to", "1816", "--out", str(tmp_path / "x.parquet")
    )
    assert done.returncode == 2
    assert "--from 2016 is after --to 1816" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_un_agreement_columns_are_cohesions_measures_by_cow_code() -> None:
    """The panel's UN columns are ``cohesion.agreement_and_kappa`` of the two voters' rows, placed by
    COW code: the United States (2) and the United Kingdom (200) in 2010 as the one-pair form gives."""
    from comity.assessment.cohesion import agreement_and_kappa
    from comity.assessment.un_votes_files import read_votes

    panel = panels.build_dyad_years(panels.read_inputs(), start=1999, end=2016, variables=["un_agreement"])
    assert panel.column_names[-3:] == ["un_votes", "un_agreement", "un_kappa"]
    rows = {
        (r["ccode1"], r["ccode2"], r["year"]): r for r in panel.to_pylist() if {r["ccode1"], r["ccode2"]} == {2, 200}
    }
    source = read_votes()[2010]
    votes, agreement, kappa = agreement_and_kappa(
        source.matrix[source.codes.index("US")], source.matrix[source.codes.index("GB")]
    )
    for key in ((2, 200, 2010), (200, 2, 2010)):
        assert (rows[key]["un_votes"], rows[key]["un_agreement"]) == (votes, pytest.approx(agreement))
        assert rows[key]["un_kappa"] == pytest.approx(kappa)
    # Before the shipped sessions there is no figure, never a zero.
    assert rows[(2, 200, 1999)]["un_votes"] is None and rows[(2, 200, 1999)]["un_agreement"] is None
    assert "hdl:1902.1/12379" in panel.schema.metadata[b"comity.sources"].decode()
