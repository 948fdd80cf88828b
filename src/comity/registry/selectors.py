"""Reads of the registry, including time travel: the alliance as it stood on any date."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q, QuerySet

from comity.registry.choices import DatePrecision
from comity.registry.models import Membership, Organisation, Participation, PartnershipFramework, State, StateName


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


def organisation_or_none(code: str) -> Organisation | None:
    return Organisation.objects.filter(code=code.upper()).first()


def state_timeline(state: State) -> dict[str, list[Membership] | list[Participation] | list[StateName]]:
    """A state's names, memberships and partnerships over time, for its profile page."""
    return {
        "names": list(state.names.order_by(F("start").asc(nulls_first=True))),
        "memberships": list(state.memberships.select_related("organisation").order_by("joined")),
        "participations": list(state.participations.select_related("framework").order_by("start")),
    }


@dataclass(frozen=True)
class Designation:
    """What a state was called, and which Correlates of War state it was, on a date."""

    name: str
    cow_code: int | None
    cow_alpha: str


def _in_force(spell: StateName, day: date) -> bool:
    """The registry's convention: in force from ``start`` (inclusive) until ``end`` (exclusive)."""
    return (spell.start is None or spell.start <= day) and (spell.end is None or day < spell.end)


@dataclass(frozen=True)
class NameBook:
    """The recorded name spells of some states, fetched once, so that each can be named as of any
    date without another query: an engagement list names each record's participants as they were
    called on that record's own date."""

    spells: Mapping[int, tuple[StateName, ...]]

    def on(self, state: State, day: date | None) -> Designation:
        """What ``state`` was called on ``day``; its own (today's) name and codes where no spell
        covers the day or no day is given: the registry records names only where they changed."""
        if day is not None:
            for spell in self.spells.get(state.pk, ()):
                if _in_force(spell, day):
                    return Designation(spell.name, spell.cow_code, spell.cow_alpha)
        return Designation(state.name, state.cow_code, state.cow_alpha)


def name_book(states: Iterable[State]) -> NameBook:
    """Every name spell of ``states``, in one query (none for no states)."""
    spells: dict[int, list[StateName]] = {}
    for spell in StateName.objects.filter(state__in={state.pk for state in states}).order_by("start"):
        spells.setdefault(spell.state_id, []).append(spell)
    return NameBook({pk: tuple(found) for pk, found in spells.items()})


def designations_on(states: Iterable[State], day: date) -> dict[int, Designation]:
    """Each state's name and COW identity in force on ``day`` (one query for all of them)."""
    states = list(states)
    book = name_book(states)
    return {state.pk: book.on(state, day) for state in states}


def names_on(codes: Iterable[str], day: date) -> dict[str, str]:
    """The names in force on ``day`` of the states with these ISO alpha-3 codes, in their order;
    a code the registry does not know is left out."""
    codes = list(codes)
    states = {state.iso3: state for state in State.objects.filter(iso3__in=codes)}
    designations = designations_on(states.values(), day)
    return {code: designations[states[code].pk].name for code in codes if code in states}


def date_text(day: date | None, precision: str) -> str | None:
    """A date as precise as its source: ``2005-02`` for a month, never an invented day."""
    if day is None:
        return None
    return day.strftime("%Y-%m") if precision == DatePrecision.MONTH else day.isoformat()


@dataclass(frozen=True)
class StateOnDate:
    """One member or partner of an organisation as of a date, named as it was then."""

    iso3: str
    iso_numeric: str
    name: str
    cow_code: int | None
    status: str  # "member" or a framework code
    joined: date | None
    joined_text: str | None  # the date at its source's precision
    joined_precision: str
    note: str


def states_on(organisation: str, day: date) -> list[StateOnDate]:
    """Every member and partner of ``organisation`` on ``day``, each under the name and COW code in
    force that day: the one answer the page, the API and ``comity registry`` give."""
    members = list(memberships_on(organisation, day))
    frameworks = list(PartnershipFramework.objects.filter(organisation__code=organisation.upper()))
    spells = {f.code: list(participations_on(f.code, day)) for f in frameworks}
    names = designations_on([m.state for m in members] + [p.state for ps in spells.values() for p in ps], day)
    rows = [
        StateOnDate(
            m.state.iso3,
            m.state.iso_numeric,
            names[m.state_id].name,
            names[m.state_id].cow_code,
            "member",
            m.joined,
            m.joined.isoformat(),
            DatePrecision.DAY,
            m.note,
        )
        for m in members
    ]
    for code, participations in spells.items():
        rows += [
            StateOnDate(
                p.state.iso3,
                p.state.iso_numeric,
                names[p.state_id].name,
                names[p.state_id].cow_code,
                code,
                p.start,
                date_text(p.start, p.start_precision),
                p.start_precision,
                p.note,
            )
            for p in participations
        ]
    return rows
