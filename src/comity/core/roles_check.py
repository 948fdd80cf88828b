"""Who is an administrator: the one question the admin and the change log's account entries ask.

Today an administrator is an active superuser; the roles work will make it a role held in a
scope. Every caller asks here, so that change is made in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from comity.core.models import User


def is_administrator(user: User | AnonymousUser) -> bool:
    """Whether ``user`` administers this deployment (accounts, clearances, their change log)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)
