"""Admin for the registry's reference data (changes are change-logged)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from comity.core.admin import AuditedAdmin
from comity.registry.models import CountryNote, Membership, Organisation, Participation, PartnershipFramework, State


@admin.register(State)
class StateAdmin(AuditedAdmin):
    list_display = ["iso3", "name", "iso2", "iso_numeric", "cow_code", "cameo_code", "capital"]
    search_fields = ["name", "iso3", "iso2"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "established"]


@admin.register(PartnershipFramework)
class FrameworkAdmin(AuditedAdmin):
    list_display = ["code", "name", "organisation", "established"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["state", "organisation", "joined", "left"]
    list_filter = ["organisation"]
    search_fields = ["state__name", "state__iso3"]


@admin.register(Participation)
class ParticipationAdmin(AuditedAdmin):
    list_display = ["state", "framework", "start", "end", "end_reason"]
    list_filter = ["framework", "end_reason"]
    search_fields = ["state__name", "state__iso3"]


@admin.register(CountryNote)
class CountryNoteAdmin(AuditedAdmin):
    """Notes in the admin are filtered by label like everywhere else."""

    list_display = ["title", "state", "label", "updated"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CountryNote]:
        return CountryNote.objects.visible_to(request.user)  # type: ignore[arg-type]
