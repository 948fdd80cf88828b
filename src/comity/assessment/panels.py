"""State-year and dyad-year panels from the Correlates of War state system (issue 13).

Pure functions of Arrow tables, with no ORM: the inputs are public, unlabelled reference files
that comity ships (``src/comity/data/``), and a panel of two million directed dyad-years is a
columnar job, not a record-by-record one. DuckDB applies the spell rules (membership and capital
years, small tables); the pairs of each year are index arithmetic on its sorted members (numpy),
the ATOP rows are placed by binary search in that order and the capitals by a hash lookup per
row (pyarrow's ``index_in``), so the rows keep their order (year, ccode1, ccode2) and nothing is
sorted or joined at two million rows.
The columns are named as peacesciencer names them (``ccode1, ccode2, year, atop_defense, ...,
capdist``), so a panel built here can be read beside one built in R. The rules are in
docs/assessment.md ("Dyad-year panels"), each where it is applied below.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from comity.assessment.cohesion import Pairwise, pairwise
from comity.assessment.un_votes_files import SourceYear, read_votes
from comity.data import PACKAGE_DATA
from comity.registry.loader import REGISTRY_DIR, read_states

COW_STATES = PACKAGE_DATA / "registry" / "cow_states_system_membership.csv"
COW_CAPITALS = PACKAGE_DATA / "registry" / "cow_capitals_latlng.csv"
ATOP_ALLIANCES = PACKAGE_DATA / "assessment" / "atop_alliance_dyad_years_1816_2016.csv"

SYSTEMS = ("cow",)
ALLIANCE_FLAGS = ("atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul")
#: The variables each kind of panel can add, in the order their columns appear.
DYAD_VARIABLES = ("alliance", "capital_distance", "un_agreement")
STATE_VARIABLES = ("capital_distance",)
#: Variables the issue names that this slice does not add yet, with the reason a user is told.
NOT_BUILT = {
    "events": "event counts come from the labelled event store, so they depend on who asks",
}
#: Earth's radius for the great-circle distance: the WGS84 equatorial radius, which is the default
#: of geosphere's ``distVincentySphere`` that peacesciencer's ``capdist`` uses, so the kilometres agree.
EARTH_RADIUS_KM = 6378.137

SOURCES = {
    "cow_states": "Correlates of War Project (2017), State System Membership List v2016 (via peacesciencer)",
    "atop": "ATOP 5 dyad-years, Leeds et al. (2002), International Interactions 28 (via peacesciencer atop_alliance)",
    "capitals": "peacesciencer cow_capitals (capital spells with coordinates), S. V. Miller",
    "un_votes": "UN General Assembly roll calls, sessions 55-74, Voeten, Strezhnev & Bailey (2009), "
    "hdl:1902.1/12379 (via unvotes)",
}


class PanelError(ValueError):
    """A request the shipped data cannot answer: the message says what to change."""


@dataclass(frozen=True)
class PanelInputs:
    """The shipped tables a panel is built from, read once per build."""

    states: pa.Table
    capitals: pa.Table
    alliances: pa.Table


def read_inputs(
    states: Path = COW_STATES, capitals: Path = COW_CAPITALS, alliances: Path = ATOP_ALLIANCES
) -> PanelInputs:
    """Read the three shipped CSV files with pyarrow's multithreaded reader (no pandas)."""
    return PanelInputs(
        states=pa_csv.read_csv(states),
        capitals=pa_csv.read_csv(
            capitals,
            convert_options=pa_csv.ConvertOptions(column_types={"stdate": pa.date32(), "enddate": pa.date32()}),
        ),
        alliances=pa_csv.read_csv(alliances),
    )


def _query(sql: str, params: Mapping[str, object] | None = None, **tables: pa.Table) -> pa.Table:
    """Run one DuckDB query over the named Arrow tables (zero-copy scans) and return Arrow."""
    connection = duckdb.connect()
    try:
        for name, table in tables.items():
            connection.register(name, table)
        return connection.sql(sql, params=dict(params or {})).to_arrow_table()
    finally:
        connection.close()


def system_years(states: pa.Table) -> tuple[int, int]:
    """The first and last year the membership file covers (1816 and 2016 for COW v2016)."""
    row = _query("SELECT min(styear) AS first, max(endyear) AS last FROM states", states=states).to_pylist()[0]
    return int(row["first"]), int(row["last"])


def check_request(
    states: pa.Table, *, system: str, start: int, end: int, variables: Sequence[str], allowed: Sequence[str]
) -> None:
    """Raise ``PanelError`` for an unknown system or variable, or years the file does not cover."""
    if system not in SYSTEMS:
        raise PanelError(f"unknown system {system!r}; choose from {', '.join(SYSTEMS)}")
    unknown = [name for name in variables if name not in allowed]
    not_built = [name for name in unknown if name in NOT_BUILT]
    if not_built:
        raise PanelError(f"{not_built[0]} is not built yet: {NOT_BUILT[not_built[0]]} (docs/assessment.md)")
    if unknown:
        raise PanelError(f"unknown variable {', '.join(map(repr, unknown))}; choose from {', '.join(allowed)}")
    if start > end:
        raise PanelError(f"--from {start} is after --to {end}")
    first, last = system_years(states)
    if start < first or end > last:
        raise PanelError(f"years {start} to {end} are outside the {system.upper()} system's {first} to {last}")


def state_years(states: pa.Table, *, start: int, end: int) -> pa.Table:
    """One row per state and year it is a system member, ``start`` to ``end`` inclusive.

    A state is a member in a year if any of its spells overlaps that year, i.e. every year from a
    spell's ``styear`` to its ``endyear`` counts, whatever the month: peacesciencer's
    ``create_stateyears`` rule. Two spells touching one year (a state that leaves and returns)
    give one row, not two.
    """
    return _query(
        """
        SELECT DISTINCT ccode::SMALLINT AS ccode, statenme, year::SMALLINT AS year
        FROM states, range(greatest(styear, $start), least(endyear, $end) + 1) AS span(year)
        ORDER BY ccode, year
        """,
        {"start": start, "end": end},
        states=states,
    )


def dyad_years(members: pa.Table, *, directed: bool = True) -> pa.Table:
    """Every pair of two members of the same year: directed both ways, undirected once (ccode1 < ccode2).

    Rows come ordered by year, ccode1, ccode2. The pairs of a year are generated as index
    arithmetic on that year's sorted members (numpy), not by a hash join: the order is then
    deterministic without sorting two million rows, and nothing is compared twice.
    """
    members = members.sort_by([("year", "ascending"), ("ccode", "ascending")])
    years = members["year"].to_numpy()
    ccodes = members["ccode"].to_numpy()
    starts = np.flatnonzero(np.r_[True, years[1:] != years[:-1]])
    counts = np.diff(np.r_[starts, len(years)])
    firsts, seconds = [], []
    for start, count in zip(starts.tolist(), counts.tolist(), strict=True):
        first, second = np.divmod(np.arange(count * count), count)
        keep = first != second if directed else first < second
        firsts.append(first[keep] + start)
        seconds.append(second[keep] + start)
    first_rows = np.concatenate(firsts) if firsts else np.empty(0, dtype=np.int64)
    second_rows = np.concatenate(seconds) if seconds else np.empty(0, dtype=np.int64)
    return pa.table(
        {
            "ccode1": pa.array(ccodes[first_rows], pa.int16()),
            "ccode2": pa.array(ccodes[second_rows], pa.int16()),
            "year": pa.array(years[first_rows], pa.int16()),
        }
    )


def _state_key(ccode: pa.ChunkedArray | pa.Array, year: pa.ChunkedArray | pa.Array) -> pa.Array:
    """One int64 per (state, year), so a lookup is a single hash probe."""
    return pc.add(pc.multiply(pc.cast(ccode, pa.int64()), 10000), pc.cast(year, pa.int64()))


def _lookup(keys: pa.Array, table_keys: pa.Array) -> pa.Array:
    """The row of ``table_keys`` holding each key, null where none does (``keys`` keep their order)."""
    return pc.index_in(keys, value_set=table_keys)


def _year_major_key(first: np.ndarray, second: np.ndarray, year: np.ndarray) -> np.ndarray:
    """(year, ccode1, ccode2) as one int64 that sorts like the panel's rows (COW codes are < 1000)."""
    return (year.astype(np.int64) * 1000 + first) * 1000 + second


def add_alliance(dyads: pa.Table, alliances: pa.Table) -> pa.Table:
    """The five ATOP obligation flags of each dyad-year (0 where ATOP records no alliance).

    ATOP is shipped undirected (ccode1 < ccode2), so each of its rows is placed at both directed
    dyads (and an undirected panel takes the one with ccode1 < ccode2). The shipped years cover the
    whole COW system (1816-2016), so a missing row means no alliance, never "not coded". The
    128,131 ATOP rows are found in the panel by binary search, not the panel's two million rows in
    ATOP by a join.
    """
    panel_keys = _year_major_key(*(dyads[c].to_numpy() for c in ("ccode1", "ccode2", "year")))
    order = None if (panel_keys[1:] > panel_keys[:-1]).all() else np.argsort(panel_keys)
    low, high, year = (alliances[c].to_numpy() for c in ("ccode1", "ccode2", "year"))
    both_ways = np.concatenate([_year_major_key(low, high, year), _year_major_key(high, low, year)])
    found = np.searchsorted(panel_keys, both_ways, sorter=order).clip(max=len(panel_keys) - 1)
    rows = found if order is None else order[found]
    present = panel_keys[rows] == both_ways
    for flag in ALLIANCE_FLAGS:
        values = np.zeros(dyads.num_rows, dtype=np.int8)
        values[rows[present]] = np.tile(alliances[flag].to_numpy(), 2)[present]
        dyads = dyads.append_column(flag, pa.array(values))
    return dyads


@dataclass(frozen=True)
class YearAgreement:
    """One session-year's pairwise UN-vote measures among its voters, by COW code (sorted)."""

    ccodes: np.ndarray
    pairs: Pairwise


def un_agreement_by_year(votes: Mapping[int, SourceYear], ccode_of: Mapping[str, int]) -> dict[int, YearAgreement]:
    """Each session-year's ``cohesion.pairwise`` over the voters with a COW code (``ccode_of``: by
    the source's alpha-2 code; a voter without one, Yugoslavia's ``YU``, is left out)."""
    result = {}
    for year, source in votes.items():
        kept = [(ccode_of[code], index) for index, code in enumerate(source.codes) if code in ccode_of]
        kept.sort()
        ccodes = np.array([ccode for ccode, _ in kept], dtype=np.int64)
        result[year] = YearAgreement(ccodes, pairwise(source.matrix[[index for _, index in kept]]))
    return result


def add_un_agreement(dyads: pa.Table, agreement: Mapping[int, YearAgreement]) -> pa.Table:
    """``un_votes``, ``un_agreement`` and ``un_kappa`` of each dyad-year (``cohesion``'s measures over
    the roll calls both voted in). Null outside the shipped sessions (2000-2019), for a state that
    cast no vote that year, and for kappa where it is undefined: no votes is no figure, never 0."""
    ccode1, ccode2, years = (dyads[c].to_numpy() for c in ("ccode1", "ccode2", "year"))
    votes = np.zeros(dyads.num_rows, dtype=np.int64)
    share = np.full(dyads.num_rows, np.nan)
    kappa = np.full(dyads.num_rows, np.nan)
    for year, found in agreement.items():
        rows = np.flatnonzero(years == year)
        if not len(rows) or not len(found.ccodes):
            continue
        first = np.searchsorted(found.ccodes, ccode1[rows]).clip(max=len(found.ccodes) - 1)
        second = np.searchsorted(found.ccodes, ccode2[rows]).clip(max=len(found.ccodes) - 1)
        known = (found.ccodes[first] == ccode1[rows]) & (found.ccodes[second] == ccode2[rows])
        rows, first, second = rows[known], first[known], second[known]
        votes[rows] = found.pairs.votes[first, second]
        share[rows] = found.pairs.agreement[first, second]
        kappa[rows] = found.pairs.kappa[first, second]
    voted = votes > 0
    return (
        dyads.append_column("un_votes", pa.array(votes, mask=~voted))
        .append_column("un_agreement", pa.array(share, mask=np.isnan(share)))
        .append_column("un_kappa", pa.array(kappa, mask=np.isnan(kappa)))
    )


def capital_years(capitals: pa.Table) -> pa.Table:
    """The capital of each state in each year: the spell in force on 1 January.

    A capital spell counts for every year it touches; where two do (a move during the year), the
    earlier one wins, which is peacesciencer's "Jan. 1 capital". France's 1940 capital is Paris,
    its 1941 capital Vichy.
    """
    return _query(
        """
        SELECT ccode::SMALLINT AS ccode, year::SMALLINT AS year,
               arg_min(capital, stdate) AS capital, arg_min(lat, stdate) AS lat, arg_min(lng, stdate) AS lng
        FROM capitals, range(year(stdate), year(enddate) + 1) AS span(year)
        GROUP BY ALL
        ORDER BY ccode, year
        """,
        capitals=capitals,
    )


def _unit_vectors(cap_years: pa.Table) -> dict[str, pa.Array]:
    """Each capital as a point on the unit sphere, computed once per capital-year, not per dyad."""
    lat = pc.multiply(cap_years["lat"], math.pi / 180)
    lng = pc.multiply(cap_years["lng"], math.pi / 180)
    return {
        "x": pc.multiply(pc.cos(lat), pc.cos(lng)),
        "y": pc.multiply(pc.cos(lat), pc.sin(lng)),
        "z": pc.sin(lat),
    }


def add_capital_distance(dyads: pa.Table, capitals: pa.Table) -> pa.Table:
    """``capdist``: great-circle kilometres between the two capitals of the year (null if one has none).

    The chord between the two points on the unit sphere gives the central angle as
    ``2 asin(chord / 2)``: exact on the sphere, like the spherical Vincenty formula peacesciencer
    uses, and as well conditioned as the haversine, but with one arcsine per dyad-year instead of six
    trigonometric calls.
    """
    cap_years = capital_years(capitals)
    keys = _state_key(cap_years["ccode"], cap_years["year"])
    points = _unit_vectors(cap_years)
    ends = [_lookup(_state_key(dyads[side], dyads["year"]), keys) for side in ("ccode1", "ccode2")]
    squared = None
    for axis in points.values():
        delta = pc.subtract(pc.take(axis, ends[0]), pc.take(axis, ends[1]))
        term = pc.multiply(delta, delta)
        squared = term if squared is None else pc.add(squared, term)
    half_chord = pc.min_element_wise(pc.divide(pc.sqrt(squared), 2.0), 1.0, skip_nulls=False)
    return dyads.append_column("capdist", pc.multiply(pc.asin(half_chord), 2 * EARTH_RADIUS_KM))


def add_min_capital_distance(members: pa.Table, capitals: pa.Table) -> pa.Table:
    """``mincapdist``: a state-year's distance to the nearest capital of another member that year.

    peacesciencer's state-year capital distance; null for a state alone in the system or one
    without a capital that year.
    """
    return _query(
        """
        SELECT m.*, n.mincapdist
        FROM members m
        LEFT JOIN (SELECT ccode1 AS ccode, year, min(capdist) AS mincapdist FROM dyads GROUP BY ALL) n
          ON n.ccode = m.ccode AND n.year = m.year
        ORDER BY m.ccode, m.year
        """,
        members=members,
        dyads=add_capital_distance(dyad_years(members, directed=True), capitals),
    )


def build_dyad_years(
    inputs: PanelInputs,
    *,
    start: int,
    end: int,
    system: str = "cow",
    directed: bool = True,
    variables: Sequence[str] = (),
) -> pa.Table:
    """The dyad-year panel with the chosen variables, checked first (``PanelError`` on bad input)."""
    check_request(inputs.states, system=system, start=start, end=end, variables=variables, allowed=DYAD_VARIABLES)
    panel = dyad_years(state_years(inputs.states, start=start, end=end), directed=directed)
    if "alliance" in variables:
        panel = add_alliance(panel, inputs.alliances)
    if "capital_distance" in variables:
        panel = add_capital_distance(panel, inputs.capitals)
    if "un_agreement" in variables:
        panel = add_un_agreement(panel, un_agreement_by_year(read_votes(), voter_ccodes()))
    return panel.replace_schema_metadata(_provenance(variables, directed=directed))


def voter_ccodes() -> dict[str, int]:
    """Each registry state's COW code by its alpha-2 code, from the shipped registry files (the
    loader checks those codes against the COW state system)."""
    return {state.iso2: state.cow_code for state in read_states(REGISTRY_DIR) if state.cow_code is not None}


def build_state_years(
    inputs: PanelInputs, *, start: int, end: int, system: str = "cow", variables: Sequence[str] = ()
) -> pa.Table:
    """The state-year panel with the chosen variables, checked first (``PanelError`` on bad input)."""
    check_request(inputs.states, system=system, start=start, end=end, variables=variables, allowed=STATE_VARIABLES)
    panel = state_years(inputs.states, start=start, end=end)
    if "capital_distance" in variables:
        panel = add_min_capital_distance(panel, inputs.capitals)
    return panel.replace_schema_metadata(_provenance(variables))


def _provenance(variables: Sequence[str], *, directed: bool | None = None) -> dict[str, str]:
    """Parquet key-value metadata naming the source of every column, so a file carries its provenance."""
    sources = [SOURCES["cow_states"]]
    if "alliance" in variables:
        sources.append(SOURCES["atop"])
    if "capital_distance" in variables:
        sources.append(SOURCES["capitals"])
    if "un_agreement" in variables:
        sources.append(SOURCES["un_votes"])
    meta = {"comity.sources": "; ".join(sources), "comity.method": "docs/assessment.md, Dyad-year panels"}
    if directed is not None:
        meta["comity.directed"] = str(directed).lower()
    return meta


def write_parquet(panel: pa.Table, out: Path) -> None:
    """Write the panel with pyarrow (zstd), keeping its provenance metadata."""
    pq.write_table(panel, out, compression="zstd")
