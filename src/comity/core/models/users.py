"""Users with a nationality, clearances per policy and extra category grants."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models

from comity.core.models.labels import Classification, SecurityPolicy


class User(AbstractUser):
    """A desk user. ``nationality`` (ISO 3166 alpha-3) drives releasability decisions."""

    #: Its change-log entries are read by administrators only (``core.selectors.audit_entries_visible``).
    audit_admin_only: ClassVar[bool] = True

    nationality = models.CharField(
        max_length=3,
        blank=True,
        help_text="ISO 3166 alpha-3 code of the user's nation; empty means no nation-based release.",
    )

    class Meta:
        ordering = ["username"]


class Clearance(models.Model):
    """A user's clearance in one policy: every classification up to this one is open to them."""

    #: Its change-log entries are read by administrators only (``core.selectors.audit_entries_visible``).
    audit_admin_only: ClassVar[bool] = True

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clearances")
    policy = models.ForeignKey(SecurityPolicy, on_delete=models.CASCADE, related_name="+")
    classification = models.ForeignKey(Classification, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "policy"], name="clearance_one_per_policy")]

    def __str__(self) -> str:
        return f"{self.user} cleared {self.classification}"


class CategoryGrant(models.Model):
    """An extra category value a user holds, e.g. "Special Category Designators: ATOMAL"."""

    #: Its change-log entries are read by administrators only (``core.selectors.audit_entries_visible``).
    audit_admin_only: ClassVar[bool] = True

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="category_grants")
    tag_name = models.CharField(max_length=64)
    value = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tag_name", "value"], name="categorygrant_unique")]

    def __str__(self) -> str:
        return f"{self.user}: {self.tag_name} {self.value}"


class LoginSession(models.Model):
    """The session keys a user signed in with, so that deactivation can end all of them at once."""

    #: Its change-log entries are read by administrators only (``core.selectors.audit_entries_visible``).
    audit_admin_only: ClassVar[bool] = True

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} session {self.created:%Y-%m-%d %H:%M}"
