"""Writes of comms: start a conversation, send, reply, forward, edit, relabel, withdraw.

Each is one transaction with its change-log entry, and each asks the write rule
(``core.permissions.require_write``: an editor of the author's scope writes its messages; only
that scope's editors change them). On top of it, the author rules:

* the author's nation must be among the nations the label releases to, and the author must be
  able to read the label;
* no write-down: a message is labelled at least the least upper bound of its conversation and of
  what it answers or quotes (``core.derivation``);
* every recipient must be able to read it (``comms.delivery``): otherwise the whole send is
  refused with each recipient and reason, and nothing is stored or delivered.

The event to readers goes after commit (``comms.events``). The body goes through
``comms.content`` only, and stays out of the change log.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from comity.comms import content
from comity.comms.delivery import Refusal, refusals, releases_to_nation
from comity.comms.events import publish_on_commit
from comity.comms.models import Conversation, Desk, DeskKind, Message, ReadMark
from comity.comms.selectors import conversations_visible_to, messages_visible_to
from comity.core.audit import audit_create, audit_entry, audit_record, snapshot
from comity.core.authority import WriteAction
from comity.core.derivation import uncovered_by
from comity.core.labels import LabelError
from comity.core.models import ConfidentialityLabel
from comity.core.models.audit import AuditAction
from comity.core.permissions import WriteDenied, default_owner, require_write
from comity.core.selectors import access_or_404, may_see_label

if TYPE_CHECKING:
    from comity.core.models import User

#: What the change log holds instead of a message body.
BODY_NOT_LOGGED = "[message body: not kept in the change log]"


class SendRefusedError(ValidationError):
    """A send that some recipient may not receive: nothing was stored or delivered."""

    def __init__(self, refused: Sequence[Refusal]) -> None:
        self.refused = list(refused)
        lines = "; ".join(str(r) for r in refused)
        super().__init__({"recipients": [f"Not sent: not every recipient may read this label ({lines})."]})


def _snapshot(message: Message) -> dict[str, Any]:
    values = snapshot(message)
    values["body"] = BODY_NOT_LOGGED
    return values


def _check_author_label(author: User, label: ConfidentialityLabel) -> None:
    """The author's nation among the releasable ones, and a label the author could read."""
    if not releases_to_nation(label.to_spec(), author.nationality):
        raise ValidationError({"label": f"{author.nationality} is not among the nations {label.marking} releases to"})
    if not may_see_label(author, label):
        raise ValidationError({"label": "you may not give a label above what you may see"})


def _check_covers(label: ConfidentialityLabel, sources: Iterable[ConfidentialityLabel], what: str) -> None:
    try:
        needed = uncovered_by(label, sources)
    except LabelError as exc:  # two national policies have no common bound
        raise ValidationError({"label": f"{label.marking} cannot cover {what}: {exc}"}) from exc
    if needed is not None:
        raise ValidationError({"label": f"{label.marking} is below {what}: label it at least {needed}"})


def _check_recipients(label: ConfidentialityLabel, conversation: Conversation, author: User) -> None:
    users = list(conversation.members.exclude(pk=author.pk))
    refused = refusals(label.to_spec(), users, list(conversation.desks.all()))
    if refused:
        raise SendRefusedError(refused)


def _post(
    *,
    author: User,
    conversation: Conversation,
    body: str,
    label: ConfidentialityLabel,
    in_reply_to: Message | None = None,
    quotes: Sequence[Message] = (),
) -> Message:
    """The one path by which a message is stored: every send, reply and forward ends here."""
    owner = default_owner(author)
    require_write(author, WriteAction.CREATE, None, owner)
    if not body.strip():
        raise ValidationError({"body": "write something"})
    if len(body) > content.MAX_BODY_CHARS:
        raise ValidationError({"body": f"at most {content.MAX_BODY_CHARS} characters"})
    _check_author_label(author, label)
    sources = [conversation.label, *([in_reply_to.label] if in_reply_to else []), *(q.label for q in quotes)]
    what = "what it answers or quotes" if in_reply_to or quotes else "its conversation"
    _check_covers(label, sources, what)
    _check_recipients(label, conversation, author)
    message = Message(conversation=conversation, author=author, label=label, owner=owner, in_reply_to=in_reply_to)
    content.store_body(message, body)
    message.save()
    if quotes:
        message.quotes.set(quotes)
    Conversation.objects.filter(pk=conversation.pk).update(updated=message.created)
    audit_record(
        audit_entry(
            acting_user=author,
            action=AuditAction.CREATE,
            instance=message,
            before=None,
            after=_snapshot(message),
            linked=quotes,
        )
    )
    _mark_read(author, conversation, message.created)
    publish_on_commit(message.pk, conversation.pk)
    return message


def _conversation_for_writing(author: User, conversation: Conversation) -> Conversation:
    """The conversation as the author sees it now (404 when they do not take part or may not read it)."""
    return access_or_404(
        conversations_visible_to(author).select_related("label").select_for_update(of=("self",)),
        author,
        pk=conversation.pk,
    )


def desk_for(code: str) -> Desk:
    """The desk of a nation (ISO3 of the registry) or an organisation, made on first use."""
    from comity.registry.models import Organisation, State

    code = code.strip().upper()
    desk = Desk.objects.filter(code=code).first()
    if desk is not None:
        return desk
    state = State.objects.filter(iso3=code).first()
    if state is not None:
        return Desk.objects.create(code=code, kind=DeskKind.NATION, name=state.name)
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is not None:
        return Desk.objects.create(code=code, kind=DeskKind.ORGANISATION, name=organisation.name)
    raise ValidationError({"desks": f"no nation or organisation {code!r} in the registry"})


@transaction.atomic
def conversation_start(
    *,
    acting_user: User,
    subject: str,
    label: ConfidentialityLabel,
    members: Sequence[User],
    desks: Sequence[Desk] = (),
    body: str,
    message_label: ConfidentialityLabel | None = None,
) -> Message:
    """Open a conversation with ``members`` and ``desks`` and send its first message.

    The conversation's label covers its subject and who takes part; the first message is labelled
    ``message_label`` (at least the conversation's; the conversation's when not given).
    """
    owner = default_owner(acting_user)
    require_write(acting_user, WriteAction.CREATE, None, owner)
    if not subject.strip():
        raise ValidationError({"subject": "give the conversation a subject"})
    if not members and not desks:
        raise ValidationError({"recipients": "name at least one recipient: a user or a desk"})
    _check_author_label(acting_user, label)
    conversation = Conversation(subject=subject.strip(), label=label, owner=owner, started_by=acting_user)
    conversation.full_clean()
    conversation.save()
    conversation.members.set({acting_user, *members})
    conversation.desks.set(desks)
    refused = refusals(label.to_spec(), [m for m in members if m.pk != acting_user.pk], desks)
    if refused:
        raise SendRefusedError(refused)
    audit_create(conversation, acting_user=acting_user)
    return _post(author=acting_user, conversation=conversation, body=body, label=message_label or label)


@transaction.atomic
def message_send(*, acting_user: User, conversation: Conversation, body: str, label: ConfidentialityLabel) -> Message:
    """A new message in a conversation the author takes part in."""
    conversation = _conversation_for_writing(acting_user, conversation)
    return _post(author=acting_user, conversation=conversation, body=body, label=label)


@transaction.atomic
def message_reply(*, acting_user: User, message: Message, body: str, label: ConfidentialityLabel) -> Message:
    """An answer to ``message``, in its conversation, labelled at least as high as it."""
    original = access_or_404(messages_visible_to(acting_user).select_related("label"), acting_user, pk=message.pk)
    conversation = _conversation_for_writing(acting_user, original.conversation)
    return _post(author=acting_user, conversation=conversation, body=body, label=label, in_reply_to=original)


@transaction.atomic
def message_forward(
    *,
    acting_user: User,
    messages: Sequence[Message],
    conversation: Conversation,
    body: str,
    label: ConfidentialityLabel,
) -> Message:
    """Quote ``messages`` (each one the author may read) in ``conversation``, with a covering note.

    The forward is labelled at least the least upper bound of what it quotes, so nobody reads a
    quote through it who could not read the original.
    """
    if not messages:
        raise ValidationError({"quotes": "choose a message to forward"})
    readable = messages_visible_to(acting_user).select_related("label")
    quoted = [access_or_404(readable, acting_user, pk=m.pk) for m in messages]
    target = _conversation_for_writing(acting_user, conversation)
    return _post(author=acting_user, conversation=target, body=body, label=label, quotes=quoted)


def _message_for_change(acting_user: User, message: Message, action: WriteAction) -> Message:
    message = access_or_404(
        messages_visible_to(acting_user).select_related("label", "conversation__label").select_for_update(of=("self",)),
        acting_user,
        pk=message.pk,
    )
    require_write(acting_user, action, message, message.owner)
    return message


@transaction.atomic
def message_edit(*, acting_user: User, message: Message, body: str) -> Message:
    """Correct the text of one's own message (an editor of its scope, and its author only)."""
    message = _message_for_change(acting_user, message, WriteAction.CHANGE)
    if message.author_id != acting_user.pk:
        raise WriteDenied("only the author may change the text of a message")
    if message.withdrawn:
        raise ValidationError({"body": "a withdrawn message cannot be changed"})
    if not body.strip() or len(body) > content.MAX_BODY_CHARS:
        raise ValidationError({"body": f"write between 1 and {content.MAX_BODY_CHARS} characters"})
    before = _snapshot(message)
    content.store_body(message, body)
    message.edited = timezone.now()
    message.save(update_fields=["body", "edited", "binding_key", "binding_signature"])
    audit_update_message(message, before, acting_user)
    publish_on_commit(message.pk, message.conversation_id)
    return message


@transaction.atomic
def message_relabel(*, acting_user: User, message: Message, label: ConfidentialityLabel) -> Message:
    """Reclassify a message or take a nation off its releasability (an editor of its scope).

    The new label must still cover its conversation and what it answers or quotes, and be one the
    writer may read. Readers who may not read the new label lose the message at once: from the
    next request, and from every event not yet delivered (the consumer re-checks).
    """
    message = _message_for_change(acting_user, message, WriteAction.CHANGE)
    if not may_see_label(acting_user, label):
        raise ValidationError({"label": "you may not give a label above what you may see"})
    sources = [message.conversation.label, *([message.in_reply_to.label] if message.in_reply_to else [])]
    sources += [q.label for q in message.quotes.select_related("label")]
    _check_covers(label, sources, "its conversation or what it answers or quotes")
    before = _snapshot(message)
    message.label = label
    content.bind_body(message, content.read_body(message))
    message.save(update_fields=["label", "binding_key", "binding_signature"])
    audit_update_message(message, before, acting_user)
    publish_on_commit(message.pk, message.conversation_id)
    return message


@transaction.atomic
def message_withdraw(*, acting_user: User, message: Message) -> Message:
    """Withdraw one's own message: it stays in the thread as withdrawn, its text no longer shown."""
    message = _message_for_change(acting_user, message, WriteAction.DELETE)
    if message.author_id != acting_user.pk:
        raise WriteDenied("only the author may withdraw a message")
    if message.withdrawn:
        return message
    before = _snapshot(message)
    message.withdrawn = timezone.now()
    message.save(update_fields=["withdrawn"])
    audit_update_message(message, before, acting_user)
    publish_on_commit(message.pk, message.conversation_id)
    return message


def audit_update_message(message: Message, before: dict[str, Any], acting_user: User) -> None:
    """``core.audit.audit_update`` with the body left out of both snapshots."""
    after = _snapshot(message)
    if after != before:
        audit_record(
            audit_entry(
                acting_user=acting_user, action=AuditAction.UPDATE, instance=message, before=before, after=after
            )
        )


def _mark_read(user: User, conversation: Conversation, when: Any) -> None:
    ReadMark.objects.update_or_create(user=user, conversation=conversation, defaults={"read_up_to": when})


def conversation_mark_read(*, user: User, conversation: Conversation) -> None:
    """Everything the user may read in the conversation up to now is read (opening the thread)."""
    _mark_read(user, conversation, timezone.now())
