"""Interoperability from the engagement records: who exercises and trains with whom, year by year.

The indicator reads the co-participation network of one year: nations are nodes, and two nations
are linked with a weight equal to the number of that year's engagements both took part in. For the
year it reports:

* ``multinational``: the engagements with at least two nations;
* ``ally_density``: the share of all pairs of that year's Allies (NATO's members on 31 December)
  linked by at least one engagement, whether or not both appear in the records (None when the
  year has fewer than two Allies);
* ``partners_with_allies``: the partner nations (in one of NATO's partnership frameworks that
  year) that took part in an engagement together with at least one Ally;
* per nation: ``engagements``, ``degree`` (nations it shares an engagement with), ``strength`` (the
  sum of its links' weights) and ``centrality`` (weighted eigenvector centrality, networkx's, so a
  nation scores high for linking with nations that are themselves central).

A pure function of plain records: which engagements a user may see, which years an engagement runs
in and who the Allies and partners were is ``interoperability_selectors``' job.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

import networkx as nx


@dataclass(frozen=True)
class Participation:
    """One engagement, the years it runs in, and the nations that took part."""

    engagement: int
    years: range
    nations: frozenset[str]


@dataclass(frozen=True)
class NationFigures:
    iso3: str
    group: str  # "ally", "partner" or "other"
    engagements: int
    degree: int
    strength: int
    centrality: float


@dataclass(frozen=True)
class YearNetwork:
    year: int
    engagements: int
    multinational: int
    ally_pairs_linked: int
    ally_pairs_possible: int
    ally_density: float | None
    partners_with_allies: tuple[str, ...]
    nations: tuple[NationFigures, ...]

    def most_central(self) -> list[NationFigures]:
        """The nations, most central first (ties by ISO code): how the page and the report list them."""
        return sorted(self.nations, key=lambda nation: (-nation.centrality, nation.iso3))


def _centrality(weights: Counter[tuple[str, str]]) -> dict[str, float]:
    """Weighted eigenvector centrality per nation; each connected part is scored on its own (the
    measure is undefined across parts), scaled so that its most central nation scores 1."""
    graph = nx.Graph()
    graph.add_weighted_edges_from((a, b, w) for (a, b), w in weights.items())
    scores: dict[str, float] = {}
    for part in nx.connected_components(graph):
        sub = graph.subgraph(part)
        if sub.number_of_nodes() < 3:
            scores.update(dict.fromkeys(part, 1.0))
            continue
        values = nx.eigenvector_centrality_numpy(sub, weight="weight")
        top = max(values.values())
        scores.update({node: value / top for node, value in values.items()})
    return scores


def year_network(
    participations: Iterable[Participation], year: int, *, allies: frozenset[str], partners: frozenset[str]
) -> YearNetwork:
    """The co-participation network of ``year``, with that year's Allies and partner nations."""
    running = [p for p in participations if year in p.years]
    engagements: Counter[str] = Counter()
    weights: Counter[tuple[str, str]] = Counter()
    for participation in running:
        engagements.update(participation.nations)
        weights.update(combinations(sorted(participation.nations), 2))
    degree: Counter[str] = Counter()
    strength: Counter[str] = Counter()
    for (a, b), weight in weights.items():
        degree.update((a, b))
        strength[a] += weight
        strength[b] += weight
    groups = {
        nation: "ally" if nation in allies else "partner" if nation in partners else "other" for nation in engagements
    }
    linked = sum(1 for pair in combinations(sorted(allies), 2) if weights[pair])
    possible = len(allies) * (len(allies) - 1) // 2
    with_allies = sorted(
        {n for pair in weights for n, other in (pair, pair[::-1]) if groups[n] == "partner" and groups[other] == "ally"}
    )
    centrality = _centrality(weights)
    nations = tuple(
        NationFigures(nation, groups[nation], count, degree[nation], strength[nation], centrality.get(nation, 0.0))
        for nation, count in sorted(engagements.items())
    )
    return YearNetwork(
        year,
        len(running),
        sum(1 for p in running if len(p.nations) > 1),
        linked,
        possible,
        linked / possible if possible else None,
        tuple(with_allies),
        nations,
    )
