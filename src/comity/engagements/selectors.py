"""Reads of engagements; every one starts from ``visible_to(user)``."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, Prefetch, Q, QuerySet

from comity.core.banner import LABEL_PREFETCH, LABEL_SELECT
from comity.core.models import LabelledModel
from comity.core.selectors import access_or_404
from comity.engagements import vienna
from comity.engagements.kinds import KIND_MODELS, kind_fields
from comity.engagements.models import (
    Engagement,
    EngagementParticipant,
    Exercise,
    PartnerProgramme,
    ProgrammeActivity,
)
from comity.engagements.places import Place, place_of
from comity.registry.models import Organisation, State

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from comity.core.models import User

E = TypeVar("E", bound=Engagement)
M = TypeVar("M", bound=Model)


def exercises_visible(user: User | AnonymousUser) -> QuerySet[Exercise]:
    """Exercises the user may see, with what lists and exports need in a fixed number of queries."""
    return with_list_relations(Exercise.objects.visible_to(user), user)


def with_visible_links(queryset: QuerySet[M], user: User | AnonymousUser, *names: str) -> QuerySet[M]:
    """Fetch the named links to labelled records through ``visible_to(user)``, one query each.

    A link the user may not see comes back absent: left out of a to-many link, ``None`` for a
    single one (its ``*_id`` column is kept, so a save does not drop it). Whatever renders,
    exports or serialises the rows then cannot name a hidden record, whichever path it takes.
    """
    lookups = []
    for name in names:
        related = queryset.model._meta.get_field(name).related_model
        joins = ("label", *_LINK_JOINS.get(related, ()))  # pages show a linked record's label badge
        linked = related.objects.visible_to(user).select_related(*joins)  # type: ignore[union-attr]
        lookups.append(Prefetch(name, queryset=linked))
    return queryset.prefetch_related(*lookups)


#: What a linked record shows of its own links when it is named (a programme: partner and cycle).
_LINK_JOINS: dict[type[Model], tuple[str, ...]] = {PartnerProgramme: ("partner",)}


def labelled_links(model: type[Model]) -> list[str]:
    """The fields of ``model`` that point at other labelled records (objectives, an exercise, a
    menu item, a programme); the link of a kind's table to its base row is not one."""
    return [
        field.name
        for field in model._meta.get_fields()
        if field.concrete
        and field.is_relation
        and not getattr(field.remote_field, "parent_link", False)
        and issubclass(field.related_model, LabelledModel)  # type: ignore[arg-type]
    ]


def with_list_relations(queryset: QuerySet[E], user: User | AnonymousUser) -> QuerySet[E]:
    """What an engagement list renders, fetched in a fixed number of queries whatever the page size,
    with every link to a labelled record filtered by what ``user`` may see."""
    return with_visible_links(
        queryset.select_related("lead_state", "lead_organisation", *LABEL_SELECT).prefetch_related(
            *LABEL_PREFETCH,
            Prefetch("participants", queryset=EngagementParticipant.objects.select_related("state")),
        ),
        user,
        *labelled_links(queryset.model),
    )


def kind_visible(user: User | AnonymousUser, model: type[E]) -> QuerySet[E]:
    """Engagements of one kind the user may see, with their own links (states, an exercise) joined,
    so lists and exports of every kind take a fixed number of queries. Links to labelled records
    (a CBM's exercise, an activity's programme and menu item) hold only what the user may see."""
    hidden_aware = set(labelled_links(model))
    own_links = [
        name for name in kind_fields(model) if model._meta.get_field(name).many_to_one and name not in hidden_aware
    ]
    queryset = with_list_relations(model.objects.visible_to(user), user)
    # No names would mean "join every foreign key", the hidden links included.
    return queryset.select_related(*own_links) if own_links else queryset


def activities_visible(user: User | AnonymousUser) -> QuerySet[ProgrammeActivity]:
    """Programme activities the user may see, with their programme (by partner and cycle) and menu
    item only where the user may see those too, and their assignments, in a fixed number of queries."""
    return kind_visible(user, ProgrammeActivity).prefetch_related("assignments__user", "assignments__state")


def record_visible(user: User | AnonymousUser, key: str) -> Engagement:
    """One engagement as its kind's model, links filtered as in lists; 404 when missing or hidden."""
    engagement = access_or_404(Engagement.objects.all(), user, key=key)
    model = KIND_MODELS.get(engagement.kind, Engagement)
    if model is Engagement:
        return with_list_relations(Engagement.objects.filter(pk=engagement.pk), user).get()
    return kind_visible(user, model).get(pk=engagement.pk)


def engagements_visible(user: User | AnonymousUser) -> QuerySet[Engagement]:
    return (
        Engagement.objects.visible_to(user)
        .select_related("lead_state", "lead_organisation", *LABEL_SELECT)
        .prefetch_related(*LABEL_PREFETCH)
    )


def with_nation(queryset: QuerySet[Engagement], nation: str) -> QuerySet[Engagement]:
    """Engagements a nation (ISO alpha-3) took part in or led."""
    code = nation.upper()
    return queryset.filter(Q(participants__state__iso3=code) | Q(lead_state__iso3=code)).distinct()


def in_year(queryset: QuerySet[Engagement], year: int) -> QuerySet[Engagement]:
    """Engagements running at some time in ``year``."""
    return queryset.filter(start_date__year__lte=year).filter(
        Q(end_date__year__gte=year) | Q(end_date__isnull=True, start_date__year=year)
    )


def filter_engagements(
    queryset: QuerySet[Engagement], *, nation: str = "", kind: str = "", year: int | None = None
) -> QuerySet[Engagement]:
    """The calendar's filters outside a request: a participating nation, a kind, a year."""
    if nation:
        queryset = with_nation(queryset, nation)
    if kind:
        queryset = queryset.filter(kind=kind)
    if year:
        queryset = in_year(queryset, year)
    return queryset.distinct()


def vienna_deadlines(
    user: User | AnonymousUser, *, since: date | None = None
) -> list[tuple[Exercise, vienna.Notifiability]]:
    """Exercises the user may see that cross a Vienna Document threshold, by notification date."""
    result = []
    queryset = exercises_visible(user).filter(start_date__isnull=False)
    if since:
        queryset = queryset.filter(start_date__gte=since)
    for exercise in queryset:
        verdict = vienna.assess(
            start=exercise.start_date,
            troops=exercise.personnel,
            battle_tanks=exercise.battle_tanks,
            armoured_combat_vehicles=exercise.armoured_combat_vehicles,
            artillery_pieces=exercise.artillery_pieces,
        )
        if verdict.notifiable:
            result.append((exercise, verdict))
    return sorted(result, key=lambda pair: pair[1].notification_due or date.min)


def co_participation(user: User | AnonymousUser, *, year: int | None = None, kind: str = "") -> dict[str, list[dict]]:
    """Who trains with whom: nations as nodes, shared visible engagements as weighted edges.

    The label filter and the year are applied in SQL; only the pairing of the visible
    (engagement, nation) rows happens here.
    """
    from collections import Counter
    from itertools import combinations

    visible = filter_engagements(Engagement.objects.visible_to(user), year=year, kind=kind).values("pk")
    rows = EngagementParticipant.objects.filter(engagement__in=visible).values_list(
        "engagement_id", "state__iso3", "state__name"
    )
    nations: dict[int, set[str]] = {}
    names: dict[str, str] = {}
    for engagement_id, iso3, name in rows:
        nations.setdefault(engagement_id, set()).add(iso3)
        names[iso3] = name
    degree: Counter[str] = Counter()
    edges: Counter[tuple[str, str]] = Counter()
    for members in nations.values():
        degree.update(members)
        edges.update(combinations(sorted(members), 2))
    return {
        "nodes": [{"id": iso3, "name": names[iso3], "engagements": count} for iso3, count in sorted(degree.items())],
        "edges": [{"source": a, "target": b, "weight": w} for (a, b), w in sorted(edges.items())],
    }


def attache_network(user: User | AnonymousUser, on: date) -> list[dict[str, object]]:
    """Accreditations in force on ``on`` that the user may see, with both capitals' coordinates."""
    from comity.engagements.models import AttacheAccreditation

    posts = (
        AttacheAccreditation.objects.visible_to(user)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=on))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("sending_state", "host_state", "embassy_state")
    )
    return [
        {
            "key": post.key,
            "sending": post.sending_state.iso3,
            "host": post.host_state.iso3,
            "service": post.service,
            "resident": post.resident,
            "embassy": post.embassy_state.iso3 if post.embassy_state else post.host_state.iso3,
            "from": [post.sending_state.capital_lat, post.sending_state.capital_lng],
            "to": [
                (post.embassy_state or post.host_state).capital_lat,
                (post.embassy_state or post.host_state).capital_lng,
            ],
            "label": post.label.marking,
        }
        for post in posts
    ]


def lead_columns(code: str) -> dict[str, Any]:
    """The lead of a record as the two columns it fills, from an organisation code (``NATO``) or a
    state's ISO3 code; both empty for no lead. ``LookupError`` names a code that is neither."""
    code = code.strip().upper()
    if not code:
        return {"lead_state": None, "lead_organisation": None}
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is not None:
        return {"lead_state": None, "lead_organisation": organisation}
    state = State.objects.filter(iso3=code).first()
    if state is None:
        raise LookupError(f"{code!r} is neither an organisation nor a state (an organisation code or ISO3 code).")
    return {"lead_state": state, "lead_organisation": None}


def engagement_places(
    user: User | AnonymousUser, *, year: int | None = None
) -> tuple[list[tuple[Engagement, Place]], list[Engagement]]:
    """The map's records: those the user may see (running in ``year`` if given) with their place,
    and those without one, so the page can count and list them. Places follow
    ``engagements.places``; hidden records are in neither list, so nothing counts them."""
    capitals = {
        name.lower(): (name, lat, lng)
        for name, lat, lng in State.objects.values_list("name", "capital_lat", "capital_lng")
    }
    placed, unplaced = [], []
    for engagement in filter_engagements(engagements_visible(user), year=year).order_by("start_date", "key"):
        place = place_of(
            latitude=engagement.latitude,
            longitude=engagement.longitude,
            location=engagement.location,
            capitals=capitals,
        )
        if place is None:
            unplaced.append(engagement)
        else:
            placed.append((engagement, place))
    return placed, unplaced
