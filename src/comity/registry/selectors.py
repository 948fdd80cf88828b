"""Reads of the registry, including time travel: the alliance as it stood on any date."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from comity.registry.models import Membership, Organisation, Participation, PartnershipFramework, State


def memberships_on(organisation: str, day: date) -> QuerySet[Membership]:
    """Membership spells of ``organisation`` (a code such as ``NATO``) in force on ``day``."""
    return (
        Membership.objects.filter(organisation__code=organisation.upper(), joined__lte=day)
        .filter(Q(left__isnull=True) | Q(left__gt=day))
        .select_related("state", "organisation")
        .order_by("joined", "state__name")
    )


def _participating_on(day: date) -> Q:
    known_start = Q(start__lte=day)
    # A spell without a start date counts from the framework's establishment where known.
    unknown_start = Q(start__isnull=True) & (
        Q(framework__established__isnull=True) | Q(framework__established__lte=day)
    )
    return (known_start | unknown_start) & (Q(end__isnull=True) | Q(end__gt=day))


def participations_on(framework: str, day: date) -> QuerySet[Participation]:
    """Participation spells of a framework (``PFP``, ``MD``, ``ICI``, ``PATG``) in force on ``day``."""
    return (
        Participation.objects.filter(framework__code=framework.upper())
        .filter(_participating_on(day))
        .select_related("state", "framework")
        .order_by("start", "state__name")
    )


def groups_of_nation(iso3: str, day: date) -> frozenset[str]:
    """Every releasability group a nation belongs to on ``day``: organisations and frameworks.

    This is the function core's access decision calls (``COMITY_GROUP_RESOLVER``) so that a
    nation joining NATO gains ``REL TO NATO`` material on its accession day.
    """
    organisations = (
        Membership.objects.filter(state__iso3=iso3, joined__lte=day)
        .filter(Q(left__isnull=True) | Q(left__gt=day))
        .values_list("organisation__code", flat=True)
    )
    frameworks = (
        Participation.objects.filter(state__iso3=iso3)
        .filter(_participating_on(day))
        .values_list("framework__code", flat=True)
    )
    return frozenset(organisations) | frozenset(frameworks)


def group_members(group: str, day: date) -> frozenset[str]:
    """The nations (ISO alpha-3) in a releasability group on ``day``: members or participants."""
    members = memberships_on(group, day).values_list("state__iso3", flat=True)
    participants = participations_on(group, day).values_list("state__iso3", flat=True)
    return frozenset(members) | frozenset(participants)


def alliance_on(organisation: str, day: date) -> dict[str, list[State]]:
    """The organisation on ``day``: its members, and the participants of each of its frameworks."""
    result: dict[str, list[State]] = {"members": [m.state for m in memberships_on(organisation, day)]}
    for framework in PartnershipFramework.objects.filter(organisation__code=organisation.upper()):
        result[framework.code] = [p.state for p in participations_on(framework.code, day)]
    return result


def organisation_or_none(code: str) -> Organisation | None:
    return Organisation.objects.filter(code=code.upper()).first()


def state_timeline(state: State) -> dict[str, list[Membership] | list[Participation]]:
    """A state's memberships and partnerships over time, for its profile page."""
    return {
        "memberships": list(state.memberships.select_related("organisation").order_by("joined")),
        "participations": list(state.participations.select_related("framework").order_by("start")),
    }
