"""The websocket's per-subscriber check, in bulk: which of these users may read this message now?

One message fans out to many subscribers at once; a check of its own for each (a subject built
with three queries, then the label rule in SQL) would make a thousand subscribers wait for three
thousand queries in turn. Here the checks that arrive together for one message are answered by
one fresh read: the message, its conversation's members and desks, and the users' accounts,
clearances and grants, in a handful of queries; then ``core.access.decide``, the rule that
``labels_visible_to`` compiles to SQL (a property test in core holds the two equal), for each
user, and whether the session each socket was opened with still lives. The read happens after the
event reached the consumer, so a relabelling, a nation leaving a group, a deactivation or a
sign-out since the publish is seen. ``subjects_now`` is ``subject_for`` for many
users at once; a test holds the two equal.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from importlib import import_module

from channels.db import database_sync_to_async
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from comity.core.access import NATION_TAGS, RELEASABILITY_GROUPS, LabelSpec, Subject, decide, nation_holdings
from comity.core.models import CategoryGrant, Clearance, User
from comity.core.selectors import group_resolver


def subjects_now(
    user_ids: Iterable[int], on: date | None = None, *, groups: Iterable[str] | None = None
) -> dict[int, Subject]:
    """The access subject of each active user among ``user_ids``, read afresh (inactive: absent).

    With ``groups``, each subject holds only those of its nation's groups (found with one lookup
    per group rather than two per nation): the decision on labels that name no other group is the
    same, and the readers' check asks for the groups its labels name.
    """
    day = on or timezone.localdate()
    users = dict(User.objects.filter(pk__in=list(user_ids), is_active=True).values_list("pk", "nationality"))
    clearances: dict[int, dict[str, int]] = defaultdict(dict)
    for user_id, policy, rank in Clearance.objects.filter(user__in=users).values_list(
        "user_id", "policy__name", "classification__rank"
    ):
        clearances[user_id][policy] = rank
    grants: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for user_id, tag, value in CategoryGrant.objects.filter(user__in=users).values_list("user_id", "tag_name", "value"):
        grants[user_id].add((tag, value))
    groups_of = _groups_by_nation(set(users.values()) - {""}, day, groups)
    return {
        user_id: Subject(
            nation=nationality or None,
            clearances=clearances[user_id],
            holdings=nation_holdings(nationality or None, groups_of.get(nationality, frozenset()))
            | frozenset(grants[user_id]),
        )
        for user_id, nationality in users.items()
    }


def _groups_by_nation(nations: set[str], day: date, groups: Iterable[str] | None) -> dict[str, frozenset[str]]:
    """Each nation's groups on ``day``: all of them, or only those among ``groups``."""
    if groups is None:
        resolve = group_resolver()
        return {nation: resolve(nation, day) for nation in nations}
    expand = import_string(settings.COMITY_GROUP_MEMBERS)
    members = {group: expand(group, day) for group in groups}
    return {nation: frozenset(g for g, inside in members.items() if nation in inside) for nation in nations}


def _groups_named(specs: Iterable[LabelSpec]) -> set[str]:
    """The releasability groups the labels' nation tags name (``NATO`` in ``REL TO NATO, UKR``)."""
    return {
        value
        for spec in specs
        for category in spec.categories
        if category.tag_name in NATION_TAGS
        for value in category.values
        if value in RELEASABILITY_GROUPS
    }


def readers_among(message_id: int, user_ids: Iterable[int]) -> set[int]:
    """Those of ``user_ids`` who may read the message now: they take part in its conversation (a
    member, or a reader of one of its desks) and may read its label and the conversation's."""
    from comity.comms.models import DeskKind, Message

    message = (
        Message.objects.select_related(
            "label__policy",
            "label__classification",
            "conversation__label__policy",
            "conversation__label__classification",
        )
        .prefetch_related("label__categories__values", "conversation__label__categories__values")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return set()
    conversation = message.conversation
    specs = (message.label.to_spec(), conversation.label.to_spec())
    subjects = subjects_now(user_ids, groups=_groups_named(specs))
    members = set(conversation.members.filter(pk__in=subjects).values_list("pk", flat=True))
    desks = list(conversation.desks.values_list("pk", "kind", "code"))
    if desks:
        nations = [code for _, kind, code in desks if kind == DeskKind.NATION]
        desk_readers = User.objects.filter(pk__in=subjects).filter(
            Q(nationality__in=nations) | Q(comms_desks__in=[pk for pk, _, _ in desks])
        )
        members |= set(desk_readers.values_list("pk", flat=True))
    return {user_id for user_id in members if all(decide(subjects[user_id], spec) for spec in specs)}


#: Turns of the event loop a batch waits for more subscribers: at least, and at most.
MIN_TURNS, MAX_TURNS = 3, 50


#: Who listens on a socket: the user's id and the key of the session it was opened with (``None``
#: for a consumer driven in-process without a session: the tests and the benchmark).
Listener = tuple[int, str | None]


def live_sessions(keys: Iterable[str]) -> set[str]:
    """The keys among ``keys`` whose session still exists and has not expired (signing out, a
    deactivation and expiry all end it)."""
    keys = list(keys)
    if not keys:
        return set()
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        from django.contrib.sessions.models import Session

        alive = Session.objects.filter(session_key__in=keys, expire_date__gt=timezone.now())
        return set(alive.values_list("session_key", flat=True))
    store = import_module(settings.SESSION_ENGINE).SessionStore
    return {key for key in keys if store().exists(key)}


def listeners_allowed(message_id: int, listeners: Iterable[Listener]) -> set[Listener]:
    """Those listeners whose user may read the message now and whose session is still live."""
    listeners = list(listeners)
    readers = readers_among(message_id, {user_id for user_id, _ in listeners})
    alive = live_sessions({key for user_id, key in listeners if key is not None and user_id in readers})
    return {(user_id, key) for user_id, key in listeners if user_id in readers and (key is None or key in alive)}


class ReadCheck:
    """Checks that arrive together for one message, answered by one ``listeners_allowed`` read.

    Each consumer awaits ``may_read``. For each message one task answers: it lets the checks
    arriving in the same few turns of the event loop gather, answers them with one database call,
    and then answers, again together, those that arrived during that call, until none is left. So
    a fan-out costs a few reads, not one per subscriber. One instance per event loop
    (``for_running_loop``).
    """

    def __init__(self) -> None:
        self.pending: dict[int, dict[Listener, list[asyncio.Future[bool]]]] = {}
        #: The task answering each message's checks (kept, so that it is not collected mid-way).
        self.answering: dict[int, asyncio.Task[None]] = {}

    async def may_read(self, listener: Listener, message_id: int) -> bool:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bool] = loop.create_future()
        self.pending.setdefault(message_id, defaultdict(list))[listener].append(future)
        if message_id not in self.answering:
            self.answering[message_id] = loop.create_task(self._answer(message_id))
        return await future

    async def _answer(self, message_id: int) -> None:
        try:
            while self.pending.get(message_id):
                await self._gather(message_id)
                batch = self.pending.pop(message_id)
                try:
                    allowed = await database_sync_to_async(listeners_allowed)(message_id, list(batch))
                except Exception as exc:  # every waiting consumer hears of it; none is left hanging
                    for futures in batch.values():
                        for future in futures:
                            future.set_exception(exc)
                    raise
                for listener, futures in batch.items():
                    for future in futures:
                        future.set_result(listener in allowed)
        finally:
            del self.answering[message_id]

    async def _gather(self, message_id: int) -> None:
        """Wait while the batch still grows: subscribers wake turn by turn as the layer hands the
        event out (a few turns of the loop, no clock time)."""
        batch = self.pending[message_id]
        for turn in range(MAX_TURNS):
            before = len(batch)
            await asyncio.sleep(0)
            if turn >= MIN_TURNS and len(batch) == before:
                return


_checks: dict[asyncio.AbstractEventLoop, ReadCheck] = {}


def for_running_loop() -> ReadCheck:
    """The batching check of the running event loop (a server has one; each test its own)."""
    loop = asyncio.get_running_loop()
    for stale in [known for known in _checks if known.is_closed()]:
        del _checks[stale]
    return _checks.setdefault(loop, ReadCheck())
