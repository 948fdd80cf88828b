"""Who a message reaches, and why a send is refused: all recipients read it, or nobody gets it.

A conversation's recipients are its member users and its desks. A user receives a message when
``core.access.decide`` lets them read its label. A desk receives it when the label releases to
the desk's nation (its ``Releasable To`` / ``Only`` values name the nation or a group it belongs
to today; an organisation desk has no nation of its own, so this part does not apply) and at least
one of the desk's readers may read it; each desk reader then sees it under their own clearance,
like every record (the others do not learn it is there). A deactivated account is no recipient
(it reads nothing on any channel). A send that some recipient may not receive is refused whole,
with each refusal in words, for the author only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from comity.core.access import (
    NATION_TAGS,
    PUBLIC_POLICY,
    LabelSpec,
    Subject,
    category_allows,
    classification_allows,
    decide,
    nation_holdings,
)
from comity.core.labels import classification_marking
from comity.core.models import User
from comity.core.selectors import group_resolver, subject_for

if TYPE_CHECKING:
    from comity.comms.models import Conversation, Desk


@dataclass(frozen=True, slots=True)
class Refusal:
    """One recipient who may not receive a message, and why, in words for the author."""

    recipient: str
    reason: str

    def __str__(self) -> str:
        return f"{self.recipient}: {self.reason}"


def why_unreadable(subject: Subject, spec: LabelSpec) -> str | None:
    """``None`` when ``subject`` may read ``spec``; else each part of the rule that stops them.

    The same tests as ``core.access.decide``, one at a time, so the reason names what failed
    (clearance, releasability, another category) without saying what clearance the recipient holds.
    """
    reasons = []
    if not classification_allows(subject, spec):
        needed = classification_marking(spec.policy, spec.classification)
        reasons.append(f"holds no clearance for {needed}" if spec.policy != PUBLIC_POLICY else "may not read it")
    for category in spec.categories:
        if category_allows(subject, category):
            continue
        if category.tag_name in NATION_TAGS:
            reasons.append(f"{subject.nation or 'no nation'} is not among the nations it is releasable to")
        else:
            reasons.append(f"does not hold {category.tag_name} {', '.join(sorted(category.values))}")
    return " and ".join(reasons) or None


def releases_to_nation(spec: LabelSpec, nation: str) -> bool:
    """Whether the label's nation tags let ``nation`` (with its groups today) through."""
    holdings = nation_holdings(nation, group_resolver()(nation, timezone.localdate()))
    subject = Subject(nation=nation, holdings=holdings)
    return all(category_allows(subject, c) for c in spec.categories if c.tag_name in NATION_TAGS)


def desk_readers(desk: Desk) -> QuerySet[User]:
    """The active users who read a desk: its nation's users (a nation desk) and its members."""
    from comity.comms.models import DeskKind

    of_desk = Q(comms_desks=desk)
    if desk.kind == DeskKind.NATION:
        of_desk |= Q(nationality=desk.code)
    return User.objects.filter(of_desk, is_active=True).distinct()


def may_read(user: User, spec: LabelSpec) -> bool:
    """``core.access.decide`` for a user, as they are now."""
    return user.is_active and decide(subject_for(user), spec)


def refusals(spec: LabelSpec, users: Iterable[User], desks: Iterable[Desk]) -> list[Refusal]:
    """Every recipient among ``users`` and ``desks`` that may not receive a message under ``spec``."""
    refused = []
    for user in users:
        if not user.is_active:
            continue  # a deactivated account is nobody's recipient: it reads nothing, on any channel
        reason = why_unreadable(subject_for(user), spec)
        if reason:
            refused.append(Refusal(user.get_username(), reason))
    for desk in desks:
        if desk.kind == "nation" and not releases_to_nation(spec, desk.code):
            refused.append(Refusal(str(desk), f"{desk.code} is not among the nations it is releasable to"))
        elif not any(may_read(reader, spec) for reader in desk_readers(desk)):
            refused.append(Refusal(str(desk), "none of its readers may read it"))
    return refused


def conversation_readers(conversation: Conversation) -> set[int]:
    """The ids of every user the conversation reaches (members and desk readers), readable or not."""
    ids = set(conversation.members.filter(is_active=True).values_list("pk", flat=True))
    for desk in conversation.desks.all():
        ids |= set(desk_readers(desk).values_list("pk", flat=True))
    return ids
