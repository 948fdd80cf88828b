"""Roles users hold within a scope (a nation or an organisation); the write rule reads them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from comity.core.authority import Role


class RoleAssignment(models.Model):
    """``user`` holds ``role`` within ``scope`` (ISO 3166 alpha-3 code or organisation code)."""

    #: Change-log entries about role assignments are shown to administrators and auditors only.
    audit_admin_only = True

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=24, choices=[(r.value, r.value.replace("_", " ")) for r in Role])
    scope = models.CharField(max_length=16, help_text="Nation (ISO3) or organisation code, e.g. FIN or NATO.")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__username", "scope", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "role", "scope"], name="roleassignment_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.role} of {self.scope}"
