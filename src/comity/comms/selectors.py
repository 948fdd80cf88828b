"""Reads of comms: every conversation, message, count and notification a user sees starts here.

A conversation is visible to a user who takes part in it (as a member, or as a reader of one of
its desks) and may read its label; a message, to a user who sees its conversation and may read
the message's own label. Both filters run in SQL (``visible_to``), so lists, counts, search, the
unread badge, the API and the websocket's re-check agree, and a message the user may not read is
absent from all of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from comity.comms.content import with_body_containing
from comity.comms.models import Conversation, Desk, DeskKind, Message, ReadMark
from comity.core.banner import LABEL_PREFETCH, LABEL_SELECT

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from comity.core.desk import DeskItem
    from comity.core.models import User


def desks_of(user: User | AnonymousUser) -> QuerySet[Desk]:
    """The desks a user reads: their nation's, and those they were added to."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Desk.objects.none()
    return Desk.objects.filter(Q(kind=DeskKind.NATION, code=user.nationality) | Q(members=user)).distinct()


def conversations_visible_to(user: User | AnonymousUser) -> QuerySet[Conversation]:
    """Conversations the user takes part in and may read, newest activity first (none for a
    deactivated account, whatever their labels)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Conversation.objects.none()
    takes_part = Q(members=user) | Q(desks__in=desks_of(user))
    ids = Conversation.objects.filter(takes_part).values("pk")
    return Conversation.objects.visible_to(user).filter(pk__in=ids)  # type: ignore[arg-type, attr-defined, no-any-return]


def messages_visible_to(user: User | AnonymousUser) -> QuerySet[Message]:
    """Messages the user may read, in conversations they see."""
    if not getattr(user, "is_authenticated", False):
        return Message.objects.none()
    conversations = conversations_visible_to(user).values("pk")
    return Message.objects.visible_to(user).filter(conversation__in=conversations)  # type: ignore[arg-type, attr-defined, no-any-return]


def conversation_or_404(user: User | AnonymousUser, pk: int) -> Conversation:
    """One conversation the user sees; missing and forbidden both answer 404."""
    found = conversations_visible_to(user).select_related(*LABEL_SELECT).prefetch_related(*LABEL_PREFETCH)
    try:
        return found.get(pk=pk)
    except Conversation.DoesNotExist as exc:
        raise Http404("No such record.") from exc


def message_or_404(user: User | AnonymousUser, pk: int) -> Message:
    """One message the user may read; missing and forbidden both answer 404."""
    try:
        return messages_visible_to(user).select_related("conversation", "author", *LABEL_SELECT).get(pk=pk)
    except Message.DoesNotExist as exc:
        raise Http404("No such record.") from exc


def thread(user: User | AnonymousUser, conversation: Conversation) -> list[Message]:
    """The messages of a conversation the user may read, oldest first, with their visible links.

    Each message's ``visible_reply_to`` and ``visible_quotes`` hold only the linked messages the
    user may read: a hidden one is absent, not named.
    """
    readable = messages_visible_to(user)
    messages = list(
        readable.filter(conversation=conversation)
        .select_related("author", *LABEL_SELECT)
        .prefetch_related(*LABEL_PREFETCH)
        .order_by("created", "id")
    )
    linked_ids = {m.in_reply_to_id for m in messages if m.in_reply_to_id}
    quotes = Message.quotes.through.objects.filter(from_message__in=[m.pk for m in messages])
    quote_pairs = list(quotes.values_list("from_message_id", "to_message_id"))
    linked_ids |= {to for _, to in quote_pairs}
    linked = {m.pk: m for m in readable.filter(pk__in=linked_ids).select_related("author", "conversation")}
    for message in messages:
        message.visible_reply_to = linked.get(message.in_reply_to_id)  # type: ignore[attr-defined, arg-type]
        message.visible_quotes = [linked[to] for frm, to in quote_pairs if frm == message.pk and to in linked]  # type: ignore[attr-defined]
    return messages


def inbox(user: User | AnonymousUser, query: str = "") -> QuerySet[Conversation]:
    """The user's conversations, searched by subject or by the text of a message they may read."""
    conversations = (
        conversations_visible_to(user)
        .select_related(*LABEL_SELECT)
        .prefetch_related("members", "desks", *LABEL_PREFETCH)
    )
    if query:
        in_body = with_body_containing(messages_visible_to(user).filter(withdrawn__isnull=True), query)
        conversations = conversations.filter(Q(subject__icontains=query) | Q(pk__in=in_body.values("conversation")))
    return conversations


def unread_messages(user: User | AnonymousUser) -> QuerySet[Message]:
    """Messages the user may read, written by others and not withdrawn, after their read mark."""
    if not getattr(user, "is_authenticated", False):
        return Message.objects.none()
    marks = ReadMark.objects.filter(
        user=user, conversation=OuterRef("conversation"), read_up_to__gte=OuterRef("created")
    )
    return messages_visible_to(user).exclude(author=user).filter(withdrawn__isnull=True).exclude(Exists(marks))


def unread_count(user: User | AnonymousUser) -> int:
    return unread_messages(user).count()


def unread_by_conversation(user: User | AnonymousUser) -> dict[int, int]:
    """Unread counts per conversation id, for the inbox."""
    from django.db.models import Count

    rows = unread_messages(user).values("conversation").annotate(n=Count("pk")).order_by()
    return {row["conversation"]: row["n"] for row in rows}


def notifications(user: User | AnonymousUser, limit: int = 50) -> list[Message]:
    """The newest unread messages, for ``/api/comms/notifications/``."""
    return list(
        unread_messages(user)
        .select_related("conversation", "author", *LABEL_SELECT)
        .order_by("-created", "-id")[:limit]
    )


def desk_unread(user: User, limit: int | None) -> list[DeskItem]:
    """The desk's "Unread messages" panel: who wrote in which conversation, under the message's label."""
    from django.urls import reverse
    from django.utils import timezone

    from comity.core.desk import DeskItem

    messages = (
        unread_messages(user)
        .select_related("conversation", "author", *LABEL_SELECT)
        .prefetch_related(*LABEL_PREFETCH)
        .order_by("-created", "-id")[:limit]
    )
    return [
        DeskItem(
            text=f"{m.author.get_username() if m.author else 'someone'} in “{m.conversation.subject}”",
            labels=(m.label,),
            url=reverse("comms:conversation", args=[m.conversation_id]),
            when=timezone.localtime(m.created).date(),
        )
        for m in messages
    ]
