"""Admin for reference data and accounts. Every save goes through the change log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from comity.core import services
from comity.core.audit import audit_create, audit_delete, audit_update, snapshot
from comity.core.models import AuditEntry, CategoryGrant, CategoryTag, Classification, Clearance, SecurityPolicy, User


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletes write change-log rows in the same transaction."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        if before is None:
            audit_create(obj, acting_user=request.user)  # type: ignore[arg-type]
        else:
            audit_update(obj, before, acting_user=request.user)  # type: ignore[arg-type]

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_delete(obj, acting_user=request.user)  # type: ignore[arg-type]
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class ClearanceInline(admin.TabularInline):
    model = Clearance
    extra = 0


class CategoryGrantInline(admin.TabularInline):
    model = CategoryGrant
    extra = 0


@admin.register(User)
class ComityUserAdmin(AuditedAdmin, UserAdmin):
    list_display = ["username", "nationality", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "nationality"]
    fieldsets = (*UserAdmin.fieldsets, ("Access", {"fields": ("nationality",)}))  # type: ignore[misc]
    inlines = [ClearanceInline, CategoryGrantInline]
    actions = ["deactivate"]

    @admin.action(description="Deactivate and end all sessions")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        ended = sum(services.user_deactivate(acting_user=request.user, user=u) for u in queryset)  # type: ignore[arg-type]
        self.message_user(
            request, f"Deactivated {queryset.count()} user(s); ended {ended} session(s).", messages.SUCCESS
        )


class ClassificationInline(admin.TabularInline):
    model = Classification
    extra = 0


@admin.register(SecurityPolicy)
class SecurityPolicyAdmin(AuditedAdmin):
    list_display = ["name", "oid", "spif_version"]
    inlines = [ClassificationInline]


@admin.register(CategoryTag)
class CategoryTagAdmin(AuditedAdmin):
    list_display = ["name", "policy", "type"]
    list_filter = ["policy", "type"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the change log is written by services, never edited."""

    list_display = ["time", "username", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEntry]:
        return AuditEntry.objects.visible_to(request.user)  # type: ignore[arg-type]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
