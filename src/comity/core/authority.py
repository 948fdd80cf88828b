"""The write rule, as a pure function: may this actor take this action on this record?

``decide_write(actor, action, target)`` is the single statement of who may change what.
``LabelledQuerySet.editable_by`` compiles the same rule into SQL (``owner IN (...)``) and
``core.permissions`` builds actors and targets from the database; a property test checks that the
function and the SQL agree. Reading is a separate, earlier question (``core.access.decide``): a
service asks this one only about a record the user may already see, so a hidden record still
answers 404 and a visible one the user may not change answers 403 with this rule's reason.

Roles are held within a scope, a nation (``FIN``) or an organisation (``NATO``):

* ``viewer``: reads what their clearance allows; changes nothing;
* ``editor``: creates records owned by the scope, changes them and moves them through the
  lifecycle, except approval;
* ``approver``: approves records of the scope (four-eyes: never a record they proposed or last
  changed, unless the deployment turns that off);
* ``programme_manager``: NATO's side of partner programmes (approves activities, invites nations);
* ``auditor``: reads the change log of the scope's records, including entries about accounts;
* ``administrator``: manages accounts and roles; grants no right over records.

Nobody holds a right by being signed in, staff or superuser.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    VIEWER = "viewer"
    EDITOR = "editor"
    APPROVER = "approver"
    PROGRAMME_MANAGER = "programme_manager"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"


class WriteAction(enum.StrEnum):
    """What a write does to a record; each needs one role in the record owner's scope."""

    CREATE = "create"
    CHANGE = "change"
    DELETE = "delete"
    MOVE = "move"  # a lifecycle move other than approval
    APPROVE = "approve"
    MANAGE_PROGRAMME = "manage_programme"  # PRIME approval and invitations


#: The role each action needs, in the scope that owns the record.
ACTION_ROLE: dict[WriteAction, Role] = {
    WriteAction.CREATE: Role.EDITOR,
    WriteAction.CHANGE: Role.EDITOR,
    WriteAction.DELETE: Role.EDITOR,
    WriteAction.MOVE: Role.EDITOR,
    WriteAction.APPROVE: Role.APPROVER,
    WriteAction.MANAGE_PROGRAMME: Role.PROGRAMME_MANAGER,
}

#: Actions that are approvals, to which the four-eyes rule applies.
FOUR_EYES_ACTIONS = frozenset({WriteAction.APPROVE, WriteAction.MANAGE_PROGRAMME})

_VERBS = {
    WriteAction.CREATE: "create records for",
    WriteAction.CHANGE: "change this record of",
    WriteAction.DELETE: "delete this record of",
    WriteAction.MOVE: "move this record of",
    WriteAction.APPROVE: "approve this record of",
    WriteAction.MANAGE_PROGRAMME: "approve activities of or invite nations to this programme of",
}


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is writing: their id, whether the account is active, and their (role, scope) pairs."""

    user_id: int | None
    active: bool
    roles: frozenset[tuple[str, str]] = frozenset()

    def holds(self, role: Role, scope: str) -> bool:
        return (role.value, scope) in self.roles


@dataclass(frozen=True, slots=True)
class Target:
    """The record written: its owner, and for four-eyes who proposed and who last changed it."""

    owner: str
    proposer_id: int | None = None
    last_changer_id: int | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(True)


def decide_write(actor: Actor, action: WriteAction, target: Target, *, four_eyes: bool = True) -> Decision:
    """The write decision, with the reason in words when it is refused."""
    if not actor.active or actor.user_id is None:
        return Decision(False, "this account is not active")
    if not target.owner:
        return Decision(False, "this is a shipped record: it is corrected through its data file, not edited")
    role = ACTION_ROLE[action]
    if not actor.holds(role, target.owner):
        article = "an" if role.value[0] in "aeiou" else "a"
        return Decision(
            False,
            f"only {article} {role.value.replace('_', ' ')} of {target.owner} may {_VERBS[action]} {target.owner}",
        )
    if four_eyes and action in FOUR_EYES_ACTIONS and actor.user_id in {target.proposer_id, target.last_changer_id}:
        return Decision(False, "four-eyes rule: the approver must not be the person who proposed or last changed it")
    return ALLOWED


def scopes_for(actor: Actor, action: WriteAction) -> frozenset[str]:
    """The owners whose records the actor may take ``action`` on (four-eyes aside): the SQL twin's input."""
    if not actor.active or actor.user_id is None:
        return frozenset()
    role = ACTION_ROLE[action].value
    return frozenset(scope for held, scope in actor.roles if held == role and scope)
