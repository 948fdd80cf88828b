"""Reads of the political-cohesion indicator: the Allies of a year against each other and against
the states the user names (by default Russia and China).

The votes and ideal points are public reference facts read once per process; the registry maps
the source's codes to its states and says who the Allies were (NATO's members on 31 December of
the session's year, as the burden-sharing indicator counts them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from comity.assessment.cohesion import GroupCohesion, PairScore, YearVotes, group_cohesion, pair_scores, pairs_among
from comity.assessment.selectors import allies_in
from comity.assessment.un_votes_files import SourceYear, read_idealpoints, read_votes
from comity.registry.loader import NATO
from comity.registry.models import State
from comity.registry.selectors import memberships_on, names_on

#: The states compared with the Allies when the user names none.
DEFAULT_OTHERS = ("RUS", "CHN")
#: At most this many states to compare with (a page, an API answer and a CSV stay readable).
MAX_OTHERS = 10

VOTES_SOURCE = (
    "UN General Assembly roll calls, sessions 55-74 (2000-2019): Voeten, Strezhnev & Bailey (2009), "
    "Harvard Dataverse hdl:1902.1/12379, via the unvotes R package (D. Robinson)"
)
IDEALPOINTS_SOURCE = (
    "Ideal points 1946-2012: Bailey, Strezhnev & Voeten (2017), Journal of Conflict Resolution 61(2), "
    "via the QSS textbook extract (Imai 2017)"
)


@cache
def _source_votes() -> dict[int, SourceYear]:
    return read_votes()


@cache
def _source_idealpoints() -> dict[int, dict[str, float]]:
    return read_idealpoints()


def cohesion_years() -> range:
    """The session-years the shipped roll calls cover: the only years a cohesion query may ask for."""
    years = sorted(_source_votes())
    return range(years[0], years[-1] + 1)


def _iso3_by(field: str) -> dict[str, str]:
    return dict(State.objects.exclude(**{field: ""}).values_list(field, "iso3"))


def year_votes(year: int, iso3: dict[str, str] | None = None) -> YearVotes:
    """The year's vote matrix under the registry's ISO alpha-3 codes (``iso3``: by alpha-2 code, read
    from the registry when not given); a voter the registry does not know (Yugoslavia, ``YU`` in the
    source, 2000-2006) is left out (docs/assessment.md)."""
    source = _source_votes()[year]
    iso3 = _iso3_by("iso2") if iso3 is None else iso3
    kept = [index for index, code in enumerate(source.codes) if code in iso3]
    voters = tuple(iso3[source.codes[index]] for index in kept)
    return YearVotes(year, voters, source.matrix[kept])


def idealpoints_in(year: int) -> dict[str, float]:
    """The year's ideal points by ISO alpha-3 code; empty for a year the extract does not cover."""
    iso3 = _iso3_by("cow_alpha")
    return {iso3[abb]: point for abb, point in _source_idealpoints().get(year, {}).items() if abb in iso3}


@dataclass(frozen=True)
class AllyRow:
    """One Ally's cohesion with the other Allies, and its agreement with each compared state."""

    iso3: str
    name: str
    with_allies: GroupCohesion
    with_others: tuple[PairScore, ...]  # in the order of ``CohesionTable.others``
    idealpoint: float | None


@dataclass(frozen=True)
class CohesionTable:
    year: int
    allies: dict[str, str]
    others: dict[str, str]
    alliance: GroupCohesion
    against: dict[str, GroupCohesion]
    rows: list[AllyRow]
    pairs: list[PairScore]


def cohesion_table(year: int, others: Sequence[str] = DEFAULT_OTHERS) -> CohesionTable:
    """The indicator for one year; ``others`` are registry ISO codes, checked by the caller."""
    votes = year_votes(year)
    points = idealpoints_in(year)
    allies = allies_in(year)
    others = [code for code in others if code not in allies]
    codes = sorted(allies)
    among = pair_scores(votes, pairs_among(codes), points)
    against = {other: pair_scores(votes, [(ally, other) for ally in codes], points) for other in others}
    rows = []
    for ally in sorted(codes, key=lambda code: allies[code]):
        mine = [score for score in among if ally in (score.first, score.second)]
        rows.append(
            AllyRow(
                ally,
                allies[ally],
                group_cohesion(mine),
                tuple(next(s for s in against[other] if s.first == ally) for other in others),
                points.get(ally),
            )
        )
    pairs = among + [score for scores in against.values() for score in scores]
    return CohesionTable(
        year,
        allies,
        names_on(others, date(year, 12, 31)),
        group_cohesion(among),
        {other: group_cohesion(scores) for other, scores in against.items()},
        rows,
        pairs,
    )


def cohesion_series(others: Sequence[str] = DEFAULT_OTHERS) -> list[dict[str, object]]:
    """Every year's alliance agreement and kappa, and the Allies' mean agreement with each compared
    state: the chart's data (plain values for ``json_script``)."""
    series = []
    iso3 = _iso3_by("iso2")
    for year in cohesion_years():
        votes = year_votes(year, iso3)
        allies = sorted(
            set(memberships_on(NATO, date(year, 12, 31)).values_list("state__iso3", flat=True)) - set(others)
        )
        alliance = group_cohesion(pair_scores(votes, pairs_among(allies)))
        series.append(
            {
                "year": year,
                "alliance_agreement": alliance.agreement,
                "alliance_kappa": alliance.kappa,
                **{
                    f"agreement_{other}": group_cohesion(pair_scores(votes, [(a, other) for a in allies])).agreement
                    for other in others
                },
            }
        )
    return series
