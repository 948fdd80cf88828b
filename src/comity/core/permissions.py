"""The write rule against the database: actors from role assignments, targets from records.

Every service that writes a shareable record calls ``require_write`` once, after it has fetched
the record through the viewer's access (so a hidden record is still a 404): it raises
``WriteDenied`` (HTTP 403, with the rule's reason) or returns. ``writable_owners`` feeds the SQL
twin, ``LabelledQuerySet.editable_by``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied

from comity.core.authority import Actor, Decision, Role, Target, WriteAction, decide_write, scopes_for
from comity.core.models import AuditEntry, RoleAssignment
from comity.core.models.audit import AuditAction

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Model

    from comity.core.models import User


class WriteDenied(PermissionDenied):
    """A write the rule refuses; the message says which role of which scope it needs."""


def actor_for(user: User | AnonymousUser | None) -> Actor:
    """The actor of a user, cached on the user object for the rest of the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(user_id=None, active=False)
    cached = getattr(user, "_comity_actor", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    roles = frozenset(RoleAssignment.objects.filter(user_id=user.pk).values_list("role", "scope"))
    actor = Actor(user_id=user.pk, active=user.is_active, roles=roles)
    user._comity_actor = actor  # type: ignore[union-attr]
    return actor


def writable_owners(user: User | AnonymousUser, action: str = WriteAction.CHANGE) -> list[str]:
    """The owners whose records ``user`` may take ``action`` on (the input of ``editable_by``)."""
    return sorted(scopes_for(actor_for(user), WriteAction(action)))


def holds_role(user: User | AnonymousUser | None, role: Role, scope: str | None = None) -> bool:
    """Whether the user holds ``role`` (in ``scope``, or in any scope when none is given)."""
    actor = actor_for(user)
    if not actor.active:
        return False
    return any(held == role.value and (scope is None or held_scope == scope) for held, held_scope in actor.roles)


def change_history_people(record: Model) -> tuple[int | None, int | None]:
    """Who created ``record`` and who last changed it, from the change log (for four-eyes)."""
    content_type = ContentType.objects.get_for_model(record, for_concrete_model=True)
    entries = AuditEntry.objects.filter(content_type=content_type, object_id=str(record.pk))
    created = entries.filter(action=AuditAction.CREATE).order_by("time", "id").values_list("user_id", flat=True)
    changed = entries.filter(action=AuditAction.UPDATE).order_by("-time", "-id").values_list("user_id", flat=True)
    proposer = next(iter(created), None)
    return proposer, next(iter(changed), proposer)


def write_decision(
    user: User | AnonymousUser | None, action: WriteAction, record: Model | None, owner: str
) -> Decision:
    """``decide_write`` for a user and a record (None when creating one owned by ``owner``)."""
    proposer = last = None
    if record is not None and action in (WriteAction.APPROVE, WriteAction.MANAGE_PROGRAMME):
        proposer, last = change_history_people(record)
    return decide_write(
        actor_for(user),
        action,
        Target(owner=owner, proposer_id=proposer, last_changer_id=last),
        four_eyes=settings.COMITY_FOUR_EYES,
    )


def require_write(user: User | AnonymousUser | None, action: WriteAction, record: Model | None, owner: str) -> None:
    """Raise ``WriteDenied`` with the reason unless the rule allows the write."""
    decision = write_decision(user, action, record, owner)
    if not decision:
        raise WriteDenied(decision.reason)


def default_owner(user: User) -> str:
    """The scope a new record is owned by: the user's nation where they edit for it, else the one
    scope they edit for, else their nation (the write rule then says what is missing)."""
    scopes = writable_owners(user, WriteAction.CREATE)
    if user.nationality in scopes or len(scopes) != 1:
        return user.nationality
    return scopes[0]
