"""The Django admin: reference data without a label, shown read-only, and users.

The admin knows nothing of labels: its change forms would save any label under any author and
its relation pickers list every row. So no labelled model is registered here or in any app (their
writes go through the pages and the API, which apply the label and write rules), the reference
data that ``comity setup`` loads from shipped files is view-only (the loader would undo a hand
edit), and users change only through actions that call ``core.services``, which write the change
log. Every page is for administrators alone (``core.roles_check.is_administrator``).
"""

from __future__ import annotations

from typing import Any

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from rest_framework.authtoken.models import TokenProxy

from comity.core import services
from comity.core.models import CategoryGrant, CategoryTag, Classification, Clearance, SecurityPolicy, User
from comity.core.roles_check import is_administrator

# Django's groups and permissions are changed by hand in their admin, bypassing the change log;
# API tokens are secrets the admin would list. Neither belongs here.
for _model in (Group, TokenProxy, AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class ViewOnlyMixin:
    """Administrators may look; nobody adds, changes or deletes through the admin."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ViewOnlyAdmin(ViewOnlyMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """A model admin for reference data loaded from shipped files."""


class ViewOnlyInline(ViewOnlyMixin, admin.TabularInline):  # type: ignore[type-arg]
    extra = 0


@admin.register(AccessAttempt)
class SignInAttemptAdmin(ViewOnlyMixin, AccessAttemptAdmin):
    """Locked-out sign-ins, to see who is locked out; ``axes_reset`` lifts a lockout."""

    actions: list[str] = []


@admin.register(AccessLog)
class SignInLogAdmin(ViewOnlyMixin, AccessLogAdmin):
    actions: list[str] = []


@admin.register(AccessFailureLog)
class SignInFailureAdmin(ViewOnlyMixin, AccessFailureLogAdmin):
    actions: list[str] = []


class ClearanceInline(ViewOnlyInline):
    model = Clearance


class CategoryGrantInline(ViewOnlyInline):
    model = CategoryGrant


class ClearanceForm(forms.Form):
    """One clearance to set on the chosen users: a classification of a policy, or none in it."""

    clearance = forms.ChoiceField(label="Clearance")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, list[tuple[str, str]]]] = []
        for policy in SecurityPolicy.objects.order_by("name"):
            levels = Classification.objects.filter(policy=policy).order_by("rank")
            choices.append(
                (
                    policy.name,
                    [(f"{policy.name}/", f"No {policy.name} clearance")]
                    + [(f"{policy.name}/{level.name}", f"{policy.name} {level.name}") for level in levels],
                )
            )
        self.fields["clearance"].choices = choices  # type: ignore[attr-defined]

    def policy_and_level(self) -> tuple[str, str]:
        """The chosen policy and classification name (empty: withdraw the clearance)."""
        policy, _, level = self.cleaned_data["clearance"].partition("/")
        return policy, level


@admin.register(User)
class ComityUserAdmin(ViewOnlyMixin, UserAdmin):  # type: ignore[type-arg]
    """Users are listed and viewed here; they change only through the actions below."""

    list_display = ["username", "nationality", "is_active", "is_staff", "is_superuser", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "nationality"]
    fieldsets = (
        (None, {"fields": ("username",)}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Access", {"fields": ("nationality", "is_active", "is_staff", "is_superuser")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    inlines = [ClearanceInline, CategoryGrantInline]
    actions = ["deactivate", "set_clearance"]

    def has_administer_permission(self, request: HttpRequest) -> bool:
        """Who may run the actions: they write through the services, as the CLI does."""
        return is_administrator(request.user)

    @admin.action(description="Deactivate and end all sessions", permissions=["administer"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        users = list(queryset)
        ended = sum(services.user_deactivate(acting_user=request.user, user=user) for user in users)  # type: ignore[arg-type]
        self.message_user(request, f"Deactivated {len(users)} user(s); ended {ended} session(s).", messages.SUCCESS)

    @admin.action(description="Set clearance…", permissions=["administer"])
    def set_clearance(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse | None:
        """Ask for the clearance, then set (or withdraw) it for each chosen user."""
        form = ClearanceForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": "Set clearance",
                "opts": self.model._meta,
                "users": queryset,
                "form": form,
                "action": "set_clearance",
            }
            return TemplateResponse(request, "admin/core/user/set_clearance.html", context)
        policy, level = form.policy_and_level()
        for user in queryset:
            if level:
                services.user_set_clearance(acting_user=request.user, user=user, policy=policy, level=level)  # type: ignore[arg-type]
            else:
                services.user_delete_clearance(acting_user=request.user, user=user, policy=policy)  # type: ignore[arg-type]
        self.message_user(request, f"Set {form.cleaned_data['clearance']} for {queryset.count()} user(s).")
        return None


class ClassificationInline(ViewOnlyInline):
    model = Classification


@admin.register(SecurityPolicy)
class SecurityPolicyAdmin(ViewOnlyAdmin):
    list_display = ["name", "oid", "spif_version"]
    inlines = [ClassificationInline]


@admin.register(Classification)
class ClassificationAdmin(ViewOnlyAdmin):
    list_display = ["marking", "policy", "rank"]
    list_filter = ["policy"]


@admin.register(CategoryTag)
class CategoryTagAdmin(ViewOnlyAdmin):
    list_display = ["name", "policy", "type"]
    list_filter = ["policy", "type"]
