"""The registry's reference data in the admin, view-only: ``comity setup`` loads it from the
shipped files (``registry.services.registry_load``), which would undo any hand edit.

Country notes carry a label and are not here: they are written through the pages and the API.
"""

from __future__ import annotations

from django.contrib import admin

from comity.core.admin import ViewOnlyAdmin
from comity.registry.models import Membership, Organisation, Participation, PartnershipFramework, State


@admin.register(State)
class StateAdmin(ViewOnlyAdmin):
    list_display = ["iso3", "name", "iso2", "iso_numeric", "cow_code", "cameo_code", "capital"]
    search_fields = ["name", "iso3", "iso2"]


@admin.register(Organisation)
class OrganisationAdmin(ViewOnlyAdmin):
    list_display = ["code", "name", "kind", "established"]


@admin.register(PartnershipFramework)
class FrameworkAdmin(ViewOnlyAdmin):
    list_display = ["code", "name", "organisation", "established"]


@admin.register(Membership)
class MembershipAdmin(ViewOnlyAdmin):
    list_display = ["state", "organisation", "joined", "left"]
    list_filter = ["organisation"]
    search_fields = ["state__name", "state__iso3"]


@admin.register(Participation)
class ParticipationAdmin(ViewOnlyAdmin):
    list_display = ["state", "framework", "start", "end", "end_reason"]
    list_filter = ["framework", "end_reason"]
    search_fields = ["state__name", "state__iso3"]
