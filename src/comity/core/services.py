"""Writes for core: users, clearances, deactivation, API tokens, security policies.

Each service is keyword-only, runs in one transaction and writes its change-log rows there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from comity.core.access import NATION_TAGS
from comity.core.audit import audit_create, audit_delete, audit_entry, audit_record, audit_update, snapshot
from comity.core.models import CategoryGrant, CategoryTag, Classification, Clearance, LoginSession, SecurityPolicy, User
from comity.core.models.audit import AuditAction
from comity.core.spif import PolicyDef


class UserError(ValueError):
    """A user request that cannot be carried out (unknown nation, classification, ...)."""


def _nation_check(nationality: str) -> str:
    from comity.core.labels import known_nations

    code = nationality.strip().upper()
    if code and code not in known_nations():
        raise UserError(f"unknown nation {nationality!r}: use an ISO 3166 alpha-3 code from the registry")
    return code


def _classification(policy: str, level: str) -> Classification:
    from comity.core.labels import classification_marking

    level = level.strip().upper()
    for candidate in Classification.objects.filter(policy__name=policy.upper()).select_related("policy"):
        if level in {candidate.name.upper(), classification_marking(candidate.policy.name, candidate.name).upper()}:
            return candidate
    known = ", ".join(Classification.objects.filter(policy__name=policy.upper()).values_list("name", flat=True))
    raise UserError(f"policy {policy} has no classification {level!r}" + (f"; known: {known}" if known else ""))


def _check_username(user: User) -> None:
    """The user model's own rules for a user name (required, length, allowed characters)."""
    field = User._meta.get_field(User.USERNAME_FIELD)
    try:
        field.clean(user.get_username(), user)
    except ValidationError as exc:
        raise UserError(f"user name {user.get_username()!r} refused: " + " ".join(exc.messages)) from exc


@transaction.atomic
def user_create(
    *,
    acting_user: User | None,
    username: str,
    nationality: str,
    password: str | None = None,
    email: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create a user of a nation; without a password the account can only use API tokens.

    Every path that creates users (CLI, demo, admin pages through Django's own forms) meets the
    same rules: the user model's user-name validator (letters, digits and ``@.+-_``, so no
    markup, spaces or quotes) and the configured ``AUTH_PASSWORD_VALIDATORS``. Both are checked
    before the database is asked anything.
    """
    user = User(username=username, email=email, is_staff=is_staff, is_superuser=is_superuser)
    _check_username(user)
    if password:
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            raise UserError("password refused: " + " ".join(exc.messages)) from exc
    if User.objects.filter(username=username).exists():
        raise UserError(f"user {username!r} exists already")
    user.nationality = _nation_check(nationality)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_create(user, acting_user=acting_user)
    return user


@transaction.atomic
def user_set_clearance(*, acting_user: User | None, user: User, policy: str, level: str) -> Clearance:
    """Give a user a clearance in a policy (replacing any earlier one in that policy)."""
    classification = _classification(policy, level)
    clearance = Clearance.objects.filter(user=user, policy=classification.policy).first()
    if clearance is None:
        clearance = Clearance.objects.create(user=user, policy=classification.policy, classification=classification)
        audit_create(clearance, acting_user=acting_user)
    else:
        before = snapshot(clearance)
        clearance.classification = classification
        clearance.save()
        audit_update(clearance, before, acting_user=acting_user)
    return clearance


@transaction.atomic
def user_grant_category(*, acting_user: User | None, user: User, tag_name: str, value: str) -> CategoryGrant:
    """Grant a user an extra category value (e.g. a special category designator).

    Nation-valued tags (``Releasable To``, ``Only``) are held through nationality alone: the
    least upper bound of labels (``core.labels.high_water_mark``) relies on it, since a grant of
    one nation's value without its groups would read a bound that meets at that nation.
    """
    if tag_name in NATION_TAGS:
        raise UserError(f"{tag_name!r} is held through nationality; it cannot be granted")
    if not CategoryTag.objects.filter(name=tag_name).exists():
        raise UserError(f"no policy defines the category {tag_name!r}")
    grant, created = CategoryGrant.objects.get_or_create(user=user, tag_name=tag_name, value=value)
    if created:
        audit_create(grant, acting_user=acting_user)
    return grant


@transaction.atomic
def user_deactivate(*, acting_user: User | None, user: User) -> int:
    """Deactivate a user and end every one of their sessions and tokens at once.

    Returns how many sessions were ended.
    """
    before = snapshot(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_update(user, before, acting_user=acting_user)
    keys = list(LoginSession.objects.filter(user=user).values_list("session_key", flat=True))
    ended, _ = Session.objects.filter(session_key__in=keys).delete()
    LoginSession.objects.filter(user=user).delete()
    Token.objects.filter(user=user).delete()
    return ended


@transaction.atomic
def user_token(*, acting_user: User | None, user: User) -> str:
    """The user's API token, created on first request."""
    if not user.is_active:
        raise UserError(f"user {user.username!r} is deactivated")
    token, created = Token.objects.get_or_create(user=user)
    if created:
        # The token's key is its primary key: log the issue against the user, never the key.
        audit_record(
            audit_entry(
                acting_user=acting_user,
                action=AuditAction.UPDATE,
                instance=user,
                before={"api_token": None},
                after={"api_token": "issued"},
            )
        )
    return str(token.key)


@dataclass(frozen=True)
class PolicySync:
    policy: str
    created: bool


@transaction.atomic
def security_policy_sync(*, acting_user: User | None, definition: PolicyDef) -> PolicySync:
    """Create or update a security policy from its SPIF definition (idempotent).

    The change-log rows are written last: they carry the PUBLIC label, which cannot exist before
    the PUBLIC policy's own classification does.
    """
    from comity.core.labels import classification_marking

    created_rows: list[Any] = []
    updated_rows: list[tuple[Any, dict[str, Any]]] = []
    policy, created = SecurityPolicy.objects.get_or_create(name=definition.name)
    before = snapshot(policy)
    policy.oid, policy.spif_version, policy.source = definition.oid, definition.version, definition.source
    policy.save()
    if created:
        created_rows.append(policy)
    else:
        updated_rows.append((policy, before))
    for item in definition.classifications:
        row, made = Classification.objects.get_or_create(
            policy=policy,
            name=item.name,
            defaults={
                "rank": item.hierarchy,
                "lacv": item.lacv,
                "marking": classification_marking(policy.name, item.name),
            },
        )
        if made:
            created_rows.append(row)
    for tag in definition.tags:
        tag_row, made = CategoryTag.objects.get_or_create(
            policy=policy, name=tag.name, defaults={"type": tag.type.value, "oid": tag.oid, "values": list(tag.values)}
        )
        if made:
            created_rows.append(tag_row)
        elif (tag_row.type, tag_row.oid, tag_row.values) != (tag.type.value, tag.oid, list(tag.values)):
            updated_rows.append((tag_row, snapshot(tag_row)))
            tag_row.type, tag_row.oid, tag_row.values = tag.type.value, tag.oid, list(tag.values)
            tag_row.save()
    for obj in created_rows:
        audit_create(obj, acting_user=acting_user)
    for obj, obj_before in updated_rows:
        audit_update(obj, obj_before, acting_user=acting_user)
    return PolicySync(policy=policy.name, created=created)


def user_delete_clearance(*, acting_user: User | None, user: User, policy: str) -> None:
    """Withdraw a user's clearance in a policy."""
    with transaction.atomic():
        for clearance in Clearance.objects.filter(user=user, policy__name=policy):
            audit_delete(clearance, acting_user=acting_user)
            clearance.delete()


def policies_load(*, acting_user: User | None) -> list[str]:
    """Load every shipped SPIF (NATO, PUBLIC) into the policy tables; idempotent."""
    from comity.core.spif import read_spif
    from comity.data import PACKAGE_DATA

    return [
        security_policy_sync(acting_user=acting_user, definition=read_spif(path)).policy
        for path in sorted((PACKAGE_DATA / "labels" / "spif").glob("*.spif"))
    ]
