"""Who is an administrator: the one question the admin and the change log's account entries ask.

An administrator is an active user holding the ``administrator`` role (``comity user grant``),
or an active superuser (the operator's own account from ``createsuperuser``). Every caller asks
here, so the rule lives in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from comity.core.models import User


def is_administrator(user: User | AnonymousUser) -> bool:
    """Whether ``user`` administers this deployment (accounts, clearances, their change log)."""
    from comity.core.authority import Role
    from comity.core.permissions import holds_role

    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    return bool(user.is_superuser or holds_role(user, Role.ADMINISTRATOR))
