"""The websocket's per-subscriber check, in bulk: which of these users may read this message now?

One message fans out to many subscribers at once; a check of its own for each (a subject built
with three queries, then the label rule in SQL) would make a thousand subscribers wait for three
thousand queries in turn. Here the checks that arrive together for one message are answered by
one fresh read: the message, its conversation's members and desks, and the users' accounts,
clearances and grants, in a handful of queries; then ``core.access.decide``, the rule that
``labels_visible_to`` compiles to SQL (a property test in core holds the two equal), for each
user. The read happens after the event reached the consumer, so a relabelling, a nation leaving
a group or a deactivation since the publish is seen. ``subjects_now`` is ``subject_for`` for many
users at once; a test holds the two equal.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from channels.db import database_sync_to_async
from django.db.models import Q
from django.utils import timezone

from comity.core.access import Subject, decide, nation_holdings
from comity.core.models import CategoryGrant, Clearance, User
from comity.core.selectors import group_resolver


def subjects_now(user_ids: Iterable[int], on: date | None = None) -> dict[int, Subject]:
    """The access subject of each active user among ``user_ids``, read afresh (inactive: absent)."""
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
    resolve, groups = group_resolver(), {}
    subjects = {}
    for user_id, nationality in users.items():
        nation = nationality or None
        if nation and nation not in groups:
            groups[nation] = resolve(nation, day)
        held = nation_holdings(nation, groups.get(nation, frozenset())) if nation else frozenset()
        subjects[user_id] = Subject(
            nation=nation, clearances=clearances[user_id], holdings=held | frozenset(grants[user_id])
        )
    return subjects


def readers_among(message_id: int, user_ids: Iterable[int]) -> set[int]:
    """Those of ``user_ids`` who may read the message now: they take part in its conversation (a
    member, or a reader of one of its desks) and may read its label and the conversation's."""
    from comity.comms.models import DeskKind, Message

    message = (
        Message.objects.select_related("label", "conversation__label")
        .prefetch_related("label__categories__values", "conversation__label__categories__values")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return set()
    conversation = message.conversation
    subjects = subjects_now(user_ids)
    members = set(conversation.members.filter(pk__in=subjects).values_list("pk", flat=True))
    desks = list(conversation.desks.values_list("pk", "kind", "code"))
    if desks:
        nations = [code for _, kind, code in desks if kind == DeskKind.NATION]
        desk_readers = User.objects.filter(pk__in=subjects).filter(
            Q(nationality__in=nations) | Q(comms_desks__in=[pk for pk, _, _ in desks])
        )
        members |= set(desk_readers.values_list("pk", flat=True))
    specs = (message.label.to_spec(), conversation.label.to_spec())
    return {user_id for user_id in members if all(decide(subjects[user_id], spec) for spec in specs)}


#: Turns of the event loop a batch waits for more subscribers: at least, and at most.
MIN_TURNS, MAX_TURNS = 3, 50


class ReadCheck:
    """Checks that arrive together for one message, answered by one ``readers_among`` read.

    Each consumer awaits ``may_read``. For each message one task answers: it lets the checks
    arriving in the same few turns of the event loop gather, answers them with one database call,
    and then answers, again together, those that arrived during that call, until none is left. So
    a fan-out costs a few reads, not one per subscriber. One instance per event loop
    (``for_running_loop``).
    """

    def __init__(self) -> None:
        self.pending: dict[int, dict[int, list[asyncio.Future[bool]]]] = {}
        #: The task answering each message's checks (kept, so that it is not collected mid-way).
        self.answering: dict[int, asyncio.Task[None]] = {}

    async def may_read(self, user_id: int, message_id: int) -> bool:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bool] = loop.create_future()
        self.pending.setdefault(message_id, defaultdict(list))[user_id].append(future)
        if message_id not in self.answering:
            self.answering[message_id] = loop.create_task(self._answer(message_id))
        return await future

    async def _answer(self, message_id: int) -> None:
        try:
            while self.pending.get(message_id):
                await self._gather(message_id)
                batch = self.pending.pop(message_id)
                try:
                    allowed = await database_sync_to_async(readers_among)(message_id, list(batch))
                except Exception as exc:  # every waiting consumer hears of it; none is left hanging
                    for futures in batch.values():
                        for future in futures:
                            future.set_exception(exc)
                    raise
                for user_id, futures in batch.items():
                    for future in futures:
                        future.set_result(user_id in allowed)
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
