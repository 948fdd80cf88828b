"""Writes and reads of roles: granting and revoking a role within a scope.

Granting is an administrator's act (or the operator's, through ``comity user grant``); each grant
and revocation is one transaction with its change-log entry.
"""

from __future__ import annotations

from django.db import transaction

from comity.core.audit import audit_create, audit_delete
from comity.core.authority import Role
from comity.core.models import RoleAssignment, User
from comity.core.permissions import WriteDenied, holds_role


class RoleError(ValueError):
    """A role or scope that does not exist."""


def known_scopes() -> set[str]:
    """Nations and organisations a role can be held in (from the registry, when installed)."""
    from django.apps import apps

    from comity.core.labels import known_nations

    scopes = known_nations()
    if apps.is_installed("comity.registry"):
        scopes |= set(apps.get_model("registry", "Organisation").objects.values_list("code", flat=True))
    return scopes


def _checked(role: str, scope: str) -> tuple[Role, str]:
    try:
        parsed = Role(role.strip().lower().replace(" ", "_"))
    except ValueError:
        raise RoleError(f"unknown role {role!r}; roles are {', '.join(r.value for r in Role)}") from None
    code = scope.strip().upper()
    if code not in known_scopes():
        raise RoleError(f"unknown scope {scope!r}: use a nation's ISO 3166 alpha-3 code or an organisation code")
    return parsed, code


def _administrator(acting_user: User | None) -> None:
    """``None`` is the operator at the command line; a user must be an administrator."""
    if acting_user is not None and not holds_role(acting_user, Role.ADMINISTRATOR):
        raise WriteDenied("only an administrator may grant or revoke roles")


@transaction.atomic
def role_grant(*, acting_user: User | None, user: User, role: str, scope: str) -> RoleAssignment:
    """Give ``user`` a role within a scope (idempotent: granting it again changes nothing)."""
    _administrator(acting_user)
    parsed, code = _checked(role, scope)
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=parsed.value, scope=code)
    if created:
        audit_create(assignment, acting_user=acting_user)
    return assignment


@transaction.atomic
def role_revoke(*, acting_user: User | None, user: User, role: str, scope: str) -> bool:
    """Take a role away; returns whether the user held it."""
    _administrator(acting_user)
    parsed, code = _checked(role, scope)
    assignment = RoleAssignment.objects.filter(user=user, role=parsed.value, scope=code).first()
    if assignment is None:
        return False
    audit_delete(assignment, acting_user=acting_user)
    assignment.delete()
    return True


def user_roles(user: User) -> list[dict[str, str]]:
    """The user's roles as ``{"role", "scope"}`` objects (what ``comity user roles`` prints)."""
    return [{"role": role, "scope": scope} for role, scope in user.role_assignments.values_list("role", "scope")]
