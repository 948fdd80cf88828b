"""Reads of the interoperability indicator: the engagements a user may see, as co-participation
networks by year.

Every figure is computed from the engagements the viewer may see (``Engagement.objects.visible_to``,
the label filter in SQL), and from nothing else: a hidden engagement adds no link, no count and no
nation, and the page says that its figures are computed from the records the viewer may see. An
engagement runs in every year from its start to its end, as the engagement list's ``year`` filter
counts it, so a figure's link to the list shows the same engagements. Who the Allies and partners
were in a year is the registry's public answer for 31 December of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from comity.assessment.interoperability import Participation, YearNetwork, year_network
from comity.core.models import User
from comity.engagements.models import Engagement, EngagementParticipant
from comity.registry.loader import NATO
from comity.registry.models import PartnershipFramework
from comity.registry.selectors import group_members, names_on

#: The most years one series covers (an engagement recorded as ending in 9999 must not make a
#: page compute eight thousand networks): the latest ones up to this year.
MAX_YEARS = 40


def engagements_counted(user: User | AnonymousUser) -> QuerySet[Engagement]:
    """The engagements the indicator counts for ``user``: visible, dated, begun by this year."""
    this_year = timezone.localdate().year
    return Engagement.objects.visible_to(user).filter(start_date__isnull=False, start_date__year__lte=this_year)


def participations_visible(user: User | AnonymousUser) -> list[Participation]:
    """The visible engagements with their nations and the years they run in, up to this year."""
    visible = engagements_counted(user)
    this_year = timezone.localdate().year
    spans = {
        pk: (start.year, min((end or start).year, this_year))
        for pk, start, end in visible.values_list("pk", "start_date", "end_date")
    }
    nations: dict[int, set[str]] = {pk: set() for pk in spans}
    rows = EngagementParticipant.objects.filter(engagement__in=visible.values("pk")).values_list(
        "engagement_id", "state__iso3"
    )
    for engagement, iso3 in rows:
        nations[engagement].add(iso3)
    return [
        Participation(pk, range(first, max(first, last) + 1), frozenset(nations[pk]))
        for pk, (first, last) in spans.items()
    ]


def series_years(participations: list[Participation]) -> range:
    """The years with a visible multinational engagement, first to last, at most ``MAX_YEARS``."""
    years = [year for p in participations if len(p.nations) > 1 for year in p.years]
    if not years:
        return range(0)
    last = max(years)
    return range(max(min(years), last - MAX_YEARS + 1), last + 1)


def allies_and_partners(year: int) -> tuple[frozenset[str], frozenset[str]]:
    """NATO's members, and the nations in one of its partnership frameworks, on 31 December."""
    day = date(year, 12, 31)
    partners: set[str] = set()
    for code in PartnershipFramework.objects.filter(organisation__code=NATO).values_list("code", flat=True):
        partners |= group_members(code, day)
    allies = group_members(NATO, day)
    return allies, frozenset(partners - allies)


def _network(participations: list[Participation], year: int) -> YearNetwork:
    allies, partners = allies_and_partners(year)
    return year_network(participations, year, allies=allies, partners=partners)


def network_visible(user: User | AnonymousUser, year: int) -> YearNetwork:
    """The co-participation network of one year, from the user's visible engagements."""
    return _network(participations_visible(user), year)


def interoperability_series(user: User | AnonymousUser) -> list[YearNetwork]:
    """The network of each year the user's visible engagements cover."""
    participations = participations_visible(user)
    return [_network(participations, year) for year in series_years(participations)]


@dataclass(frozen=True)
class InteroperabilityReading:
    """What the page and the API show: the series, the year asked for (the latest by default), its
    network when the series has it, and its nations' names in force on 31 December."""

    series: list[YearNetwork]
    year: int | None
    chosen: YearNetwork | None
    names: dict[str, str]


def interoperability_reading(user: User | AnonymousUser, year: int | None) -> InteroperabilityReading:
    series = interoperability_series(user)
    year = year or (series[-1].year if series else None)
    chosen = next((network for network in series if network.year == year), None)
    names = names_on([n.iso3 for n in chosen.nations], date(chosen.year, 12, 31)) if chosen else {}
    return InteroperabilityReading(series, year, chosen, names)
