"""Reads of engagements; every one starts from ``visible_to(user)``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from itertools import combinations
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Max, Min, Model, Prefetch, Q, QuerySet, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.utils import timezone

from comity.core.authority import WriteAction
from comity.core.banner import LABEL_PREFETCH, LABEL_SELECT
from comity.core.models import LabelledModel
from comity.core.permissions import writable_owners, write_decision
from comity.core.selectors import access_or_404, owned_scopes
from comity.engagements import vienna
from comity.engagements.choices import ActivityRole, EngagementKind, ParticipantRole, Status, Workflow
from comity.engagements.kinds import KIND_MODELS, kind_fields, state_fields
from comity.engagements.lifecycle import last_day
from comity.engagements.models import (
    AfterActionReport,
    Engagement,
    EngagementParticipant,
    Exercise,
    Objective,
    ObjectiveAchievement,
    ParticipantFeedback,
    PartnerProgramme,
    ProgrammeActivity,
)
from comity.engagements.places import Place, place_of
from comity.registry.models import Organisation, PartnershipFramework, State
from comity.registry.selectors import group_members, name_book

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from comity.core.desk import DeskItem
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


def _participants_with_states() -> Prefetch:
    """The participants of each record, their states joined (every list names them)."""
    return Prefetch("participants", queryset=EngagementParticipant.objects.select_related("state"))


def _with_list_joins(queryset: QuerySet[E]) -> QuerySet[E]:
    """The label, the lead and the participants of every record, in a fixed number of queries."""
    return queryset.select_related("lead_state", "lead_organisation", *LABEL_SELECT).prefetch_related(
        *LABEL_PREFETCH, _participants_with_states()
    )


def with_list_relations(queryset: QuerySet[E], user: User | AnonymousUser) -> QuerySet[E]:
    """What an engagement list renders, fetched in a fixed number of queries whatever the page size,
    with every link to a labelled record filtered by what ``user`` may see."""
    return with_visible_links(_with_list_joins(queryset), user, *labelled_links(queryset.model))


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
    """One engagement as its kind's model, links filtered as in lists, its states named as of its
    date (``with_names_as_of``); 404 when missing or hidden."""
    engagement = access_or_404(Engagement.objects.all(), user, key=key)
    model = KIND_MODELS.get(engagement.kind, Engagement)
    if model is Engagement:
        record = with_list_relations(Engagement.objects.filter(pk=engagement.pk), user).get()
    else:
        record = kind_visible(user, model).get(pk=engagement.pk)
    return with_names_as_of([record])[0]


def with_names_as_of(records: Iterable[E]) -> list[E]:
    """Name every state the records name as it was called on each record's date: a 2018 exercise
    with MKD shows "the former Yugoslav Republic of Macedonia", one of 2020 "North Macedonia".

    A record's date is its start (the first of the month for a month-precision record); a record
    without one is named with today's names. Sets ``name_as_of`` on each participant and
    ``names_as_of`` on each record: ``lead`` (the organisation's name, or the leading nations'
    names in the order of ``lead``'s codes, joined by "; "; ``None`` without a lead) and each of
    its kind's state fields (``None`` where empty). The name spells of all the states of all the
    records come in one query, and whatever states the caller has not joined yet (lists and
    ``kind_visible`` join them all) in one query per link, so the count stays fixed whatever the
    number of records.
    """
    records = list(records)
    prefetch_related_objects(records, _participants_with_states(), "lead_state", "lead_organisation")
    for model in {type(record) for record in records}:
        prefetch_related_objects([r for r in records if type(r) is model], *state_fields(model))
    states: list[State] = []
    for record in records:
        states += [participant.state for participant in record.participants.all()]
        states += record.lead_states()
        states += [getattr(record, name) for name in state_fields(type(record)) if getattr(record, f"{name}_id")]
    book = name_book(states)
    for record in records:
        day = record.start_date
        for participant in record.participants.all():
            participant.name_as_of = book.on(participant.state, day).name
        names: dict[str, str | None] = {
            name: book.on(state, day).name if (state := getattr(record, name)) is not None else None
            for name in state_fields(type(record))
        }
        if record.lead_organisation_id:
            names["lead"] = record.lead_organisation.name  # type: ignore[union-attr]
        else:
            names["lead"] = "; ".join(book.on(state, day).name for state in record.lead_states()) or None
        record.names_as_of = names
    return records


def engagements_visible(user: User | AnonymousUser) -> QuerySet[Engagement]:
    """Every engagement the user may see, with what a list of them shows (the lead, which reads
    the participants) fetched in a fixed number of queries."""
    return _with_list_joins(Engagement.objects.visible_to(user))


def with_nation(queryset: QuerySet[Engagement], nation: str) -> QuerySet[Engagement]:
    """Engagements a nation (ISO alpha-3) took part in or led."""
    code = nation.upper()
    return queryset.filter(Q(participants__state__iso3=code) | Q(lead_state__iso3=code)).distinct()


def nation_engagements(user: User | AnonymousUser, state: State) -> list[tuple[Engagement, str]]:
    """The engagements a nation took part in or led that the user may see, latest first, each
    with the nation's name on the record's date (Swaziland in 2017, Eswatini in 2019)."""
    records = filter_engagements(engagements_visible(user), nation=state.iso3).order_by("-start_date")
    book = name_book([state])
    return [(record, book.on(state, record.start_date).name) for record in records]


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
    queryset = exercises_visible(user).filter(start_date__isnull=False)
    if since:
        queryset = queryset.filter(start_date__gte=since)
    return _notifiable(queryset)


def _notifiable(queryset: QuerySet[Exercise]) -> list[tuple[Exercise, vienna.Notifiability]]:
    """The exercises of ``queryset`` that cross a threshold, with the verdict, by notification date."""
    result = []
    for exercise in queryset:
        verdict = vienna.assess(
            start=exercise.start_date,
            troops=exercise.personnel,
            battle_tanks=exercise.battle_tanks,
            armoured_combat_vehicles=exercise.armoured_combat_vehicles,
            artillery_pieces=exercise.artillery_pieces,
            domain=exercise.domain,
            precision=exercise.date_precision,
        )
        if verdict.notifiable:
            result.append((exercise, verdict))
    return sorted(result, key=lambda pair: pair[1].notification_due or date.min)


def running_between(queryset: QuerySet[Engagement], first: date, last: date) -> QuerySet[Engagement]:
    """Engagements running on some day from ``first`` to ``last`` (a record with no end date runs
    on its start day only, as ``in_year`` counts it; a month-precision date, stored as the 1st,
    covers its whole month, as ``engagements.spans.covered`` says)."""
    month_first = first.replace(day=1)
    by_month = Q(date_precision="month")
    return queryset.filter(start_date__lte=last).filter(
        Q(end_date__gte=first)
        | (by_month & Q(end_date__gte=month_first))
        | Q(end_date__isnull=True, start_date__gte=first)
        | (by_month & Q(end_date__isnull=True, start_date__gte=month_first))
    )


def nearest_record_day(queryset: QuerySet[Engagement], anchor: date) -> date | None:
    """The day nearest ``anchor`` on which one of ``queryset`` runs (``None`` when none is dated).

    Two aggregates in SQL: the last day of those that started by ``anchor`` (``anchor`` itself
    when one still runs) and the first day of those that start after it; the nearer wins, the
    earlier on a tie.
    """
    dated = queryset.order_by().filter(start_date__isnull=False)
    past = dated.filter(start_date__lte=anchor).aggregate(day=Max(Coalesce("end_date", "start_date")))["day"]
    if past is not None and past >= anchor:
        return anchor
    future = dated.filter(start_date__gt=anchor).aggregate(day=Min("start_date"))["day"]
    if past is None or future is None:
        return past or future
    return past if anchor - past <= future - anchor else future


def co_participation(
    user: User | AnonymousUser,
    *,
    year: int | None = None,
    kind: str = "",
    start: date | None = None,
    end: date | None = None,
    objective: Objective | None = None,
    min_weight: int = 1,
    top: int | None = None,
) -> dict[str, Any]:
    """Who trains with whom: nations as nodes, shared visible engagements as weighted edges.

    The label filter, the period (``year``, and engagements running between ``start`` and
    ``end``), the kind and the objective (one the caller may see) are applied in SQL; only the
    pairing of the visible (engagement, nation) rows happens here. An edge's ``weight`` is the
    number of those engagements both nations took part in; ``min_weight`` and ``top`` (the
    heaviest edges only) keep a dense network legible. Every nation of the filtered engagements
    is a node, with ``links``, its number of kept edges (zero when the threshold dropped them all).
    """
    visible = filter_engagements(Engagement.objects.visible_to(user), year=year, kind=kind)
    if start or end:
        visible = running_between(visible, start or date.min, end or date.max)
    if objective is not None:
        visible = visible.filter(objectives=objective)
    rows = EngagementParticipant.objects.filter(engagement__in=visible.values("pk")).values_list(
        "engagement_id", "state__iso3", "state__name"
    )
    nations: dict[int, set[str]] = {}
    names: dict[str, str] = {}
    for engagement_id, iso3, name in rows:
        nations.setdefault(engagement_id, set()).add(iso3)
        names[iso3] = name
    degree: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for members in nations.values():
        degree.update(members)
        pairs.update(combinations(sorted(members), 2))
    kept = sorted(((pair, weight) for pair, weight in pairs.items() if weight >= min_weight), key=_heaviest_first)
    if top is not None:
        kept = kept[:top]
    links: Counter[str] = Counter()
    for (a, b), _weight in kept:
        links.update((a, b))
    groups = alliance_groups(_period_end(year, end))
    return {
        "nodes": [
            {"id": iso3, "name": names[iso3], "engagements": count, "links": links[iso3], "group": groups(iso3)}
            for iso3, count in sorted(degree.items())
        ],
        "edges": [{"source": a, "target": b, "weight": w} for (a, b), w in sorted(kept)],
        "engagements": len(nations),
        "pairs": len(pairs),
    }


def _period_end(year: int | None, end: date | None) -> date:
    """The day whose alliance the network's nodes are grouped by: the period's last, or today."""
    bounds = (end, date(year, 12, 31) if year else None, timezone.localdate())
    return min(day for day in bounds if day is not None)


def alliance_groups(day: date) -> Callable[[str], str]:
    """``ally`` (a NATO member on ``day``), ``partner`` (in one of NATO's partnership frameworks)
    or ``other``, for each nation (ISO alpha-3): the registry's public facts, not labelled."""
    allies = group_members("NATO", day)
    partners: set[str] = set()
    for code in PartnershipFramework.objects.filter(organisation__code="NATO").values_list("code", flat=True):
        partners |= group_members(code, day)
    return lambda iso3: "ally" if iso3 in allies else "partner" if iso3 in partners else "other"


def _heaviest_first(entry: tuple[tuple[str, str], int]) -> tuple[int, tuple[str, str]]:
    return (-entry[1], entry[0])


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


def reports_visible(user: User | AnonymousUser) -> QuerySet[AfterActionReport]:
    """After-action reports the user may see, each with its engagement and rows in a fixed number
    of queries; the achievements are only those of objectives the user may see (the others are
    absent, not named)."""
    objectives = Objective.objects.visible_to(user)
    achievements = ObjectiveAchievement.objects.filter(objective__in=objectives.values("pk")).select_related(
        "objective__label"
    )
    return (
        AfterActionReport.objects.visible_to(user)
        .select_related("engagement", *LABEL_SELECT)
        .prefetch_related(
            *LABEL_PREFETCH,
            Prefetch("achievements", queryset=achievements),
            "observations",
            Prefetch("feedback", queryset=ParticipantFeedback.objects.select_related("state")),
        )
    )


def report_visible(user: User | AnonymousUser, key: str) -> AfterActionReport:
    """The report of the engagement ``key``; 404 when either is missing or hidden, alike."""
    return access_or_404(reports_visible(user), user, engagement__key=key)


def report_of(user: User | AnonymousUser, engagement: Engagement) -> AfterActionReport | None:
    """The report of an engagement the user sees, or None when there is none they may see."""
    return reports_visible(user).filter(engagement=engagement).first()


def reports_due(user: User | AnonymousUser) -> QuerySet[Engagement]:
    """Completed engagements the user may write a report for (editors of their owner) that have
    none yet, the longest finished first: the desk's "reports due" list.

    An engagement whose report exists is not due, whether or not the user may read that report.
    """
    return (
        Engagement.objects.editable_by(user, "create")
        .filter(status=Status.COMPLETED, after_action_report__isnull=True)
        .select_related(*LABEL_SELECT)
        .prefetch_related(*LABEL_PREFETCH)
        .order_by("end_date", "start_date", "key")
    )


# --- the desk's panels (``core.desk``; offered by ``EngagementsConfig.desk_panels``) ---------------

#: Statuses of a record that has not begun; once its start has passed, the calendar has overtaken it.
BEFORE_START = (Status.PROPOSED, Status.PLANNED, Status.APPROVED)


def overtaken_by_calendar(queryset: QuerySet[E], today: date) -> QuerySet[E]:
    """Records whose status the calendar has overtaken (``calendar_status.status_from_dates``):
    not begun although the start has passed, or ongoing although the end (its last possible day,
    the month's last for month precision) has passed. Cancelled and finished records never are."""
    first_of_month = today.replace(day=1)
    ended = Q(date_precision="day", end_date__lt=today) | Q(date_precision="month", end_date__lt=first_of_month)
    return queryset.filter(Q(status__in=BEFORE_START, start_date__lt=today) | (Q(status=Status.ONGOING) & ended))


def needing_attention(user: User | AnonymousUser, today: date) -> QuerySet[Engagement]:
    """The overtaken records of the scopes the user may move records for, oldest first."""
    editable = Engagement.objects.editable_by(user, WriteAction.MOVE)  # type: ignore[arg-type]
    return (
        overtaken_by_calendar(editable, today)
        .select_related(*LABEL_SELECT)
        .prefetch_related(*LABEL_PREFETCH)
        .order_by("start_date", "key")
    )


def _overtaken_text(record: Engagement) -> str:
    if record.status == Status.ONGOING and record.end_date is not None:
        return f"{record.title}: ongoing, but it ended on {last_day(record.end_date, record.date_precision)}"
    return f"{record.title}: {record.get_status_display().lower()}, but it started on {record.start_date}"


def desk_attention(user: User | AnonymousUser, limit: int | None) -> list[DeskItem]:
    """The desk's "records that need attention" panel (``needing_attention``)."""
    from comity.core.desk import DeskItem
    from comity.engagements.views import detail_url

    today = timezone.localdate()
    return [
        DeskItem(text=_overtaken_text(r), labels=(r.label,), url=detail_url(r), when=r.start_date)
        for r in needing_attention(user, today)[:limit]
    ]


def desk_reports_due(user: User | AnonymousUser, limit: int | None) -> list[DeskItem]:
    """The desk's "after-action reports due" panel (``reports_due``): completed records of the
    user's scopes that have no report, the longest finished first."""
    from comity.core.desk import DeskItem
    from comity.engagements.views import detail_url

    return [
        DeskItem(
            text=f"{r.title}: completed {r.end_date or r.start_date}, no after-action report yet",
            labels=(r.label,),
            url=detail_url(r),
            when=r.end_date or r.start_date,
        )
        for r in reports_due(user)[:limit]
    ]


def approvals_waiting(user: User | AnonymousUser) -> list[tuple[Engagement, str]]:
    """The records waiting for a step only ``user`` (by their roles) can take, with the step:
    planned records of scopes they approve for, PRIME activities proposed to or approved by a
    programme they manage, and activities their nation was invited to register for.

    Candidates come from SQL (``editable_by`` for the step's action); the four-eyes rule is then
    asked per record with the services' own ``write_decision``, so nobody is shown their own
    proposal or last change to approve.
    """
    from comity.engagements import prime

    planned = (
        Engagement.objects.editable_by(user, WriteAction.APPROVE)  # type: ignore[arg-type]
        .filter(status=Status.PLANNED)
        .exclude(kind=EngagementKind.PROGRAMME)  # approved through its PRIME step
    )
    # The change log names a record by its kind's model, as the services see it (four-eyes).
    by_model: dict[type[Engagement], list[int]] = {}
    for pk, kind in planned.values_list("pk", "kind"):
        by_model.setdefault(KIND_MODELS.get(kind, Engagement), []).append(pk)
    managed = activities_visible(user).filter(owner__in=writable_owners(user, WriteAction.MANAGE_PROGRAMME))
    nation = getattr(user, "nationality", "")
    invited = (
        activities_visible(user)
        .filter(workflow=Workflow.INVITED, assignments__role=ActivityRole.INVITEE, assignments__state__iso3=nation)
        .exclude(participants__state__iso3=nation, participants__role=ParticipantRole.PARTICIPANT)
        .distinct()
        if nation and nation in writable_owners(user, WriteAction.CREATE)
        else ProgrammeActivity.objects.none()
    )
    waiting: list[tuple[Engagement, str]] = [
        (record, "approve")
        for model, pks in by_model.items()
        for record in model.objects.editable_by(user, WriteAction.APPROVE)  # type: ignore[arg-type]
        .filter(pk__in=pks)
        .select_related(*LABEL_SELECT)
        .prefetch_related(*LABEL_PREFETCH)
        if write_decision(user, WriteAction.APPROVE, record, record.owner)
    ]
    waiting += [(a, "approve") for a in managed.filter(workflow=Workflow.PROPOSED) if prime.may_approve(user, a)]
    waiting += [(a, "invite nations to") for a in managed.filter(workflow=Workflow.APPROVED)]
    waiting += [(a, f"register {nation} for") for a in invited]
    return sorted(waiting, key=lambda pair: (pair[0].start_date or date.max, pair[0].key))


def desk_approvals(user: User | AnonymousUser, limit: int | None) -> list[DeskItem]:
    """The desk's "waiting for you" panel (``approvals_waiting``)."""
    from comity.core.desk import DeskItem
    from comity.engagements.views import detail_url

    return [
        DeskItem(
            text=f"{step.capitalize()}: {record.title}",
            labels=(record.label,),
            url=detail_url(record),
            when=record.start_date,
        )
        for record, step in approvals_waiting(user)[:limit]
    ]


def vienna_falling_due(user: User | AnonymousUser, today: date) -> list[tuple[Exercise, vienna.Notifiability]]:
    """Notifiable exercises of the user's nation or scopes that have not started yet, by the
    last day of their notification (those past it first: they are late)."""
    nation = getattr(user, "nationality", "")
    ours = Q(owner__in=owned_scopes(user))
    if nation:
        ours |= Q(participants__state__iso3=nation) | Q(lead_state__iso3=nation)
    return _notifiable(exercises_visible(user).filter(ours, start_date__gte=today).distinct())


def desk_vienna(user: User | AnonymousUser, limit: int | None) -> list[DeskItem]:
    """The desk's "Vienna Document notifications" panel (``vienna_falling_due``)."""
    from comity.core.desk import DeskItem
    from comity.engagements.views import detail_url

    today = timezone.localdate()
    items = []
    for exercise, verdict in vienna_falling_due(user, today)[:limit]:
        due = verdict.notification_due
        late = due is not None and due < today
        items.append(
            DeskItem(
                text=f"{exercise.title}: notification {'was due' if late else 'due'} by {due} "
                f"(starts {exercise.start_date}; crosses {', '.join(verdict.crossed).replace('_', ' ')})",
                labels=(exercise.label,),
                url=detail_url(exercise),
                when=due,
            )
        )
    return items


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
