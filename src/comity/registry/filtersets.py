"""Filters of the registry API and lists."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters

from comity.core.api.filters import WholeNumberFilter
from comity.registry.models import CountryNote, Membership, Participation, State


class StateFilter(filters.FilterSet):
    q = filters.CharFilter(method="search", label="Name or code")
    cow_code = WholeNumberFilter(label="Correlates of War code")

    class Meta:
        model = State
        fields = ["iso3", "iso2", "cow_code", "cameo_code"]

    def search(self, queryset: QuerySet[State], name: str, value: str) -> QuerySet[State]:
        return queryset.filter(Q(name__icontains=value) | Q(iso3__iexact=value) | Q(iso2__iexact=value))


class MembershipFilter(filters.FilterSet):
    organisation = filters.CharFilter(field_name="organisation__code", lookup_expr="iexact")
    state = filters.CharFilter(field_name="state__iso3", lookup_expr="iexact")

    class Meta:
        model = Membership
        fields = ["organisation", "state"]


class ParticipationFilter(filters.FilterSet):
    framework = filters.CharFilter(field_name="framework__code", lookup_expr="iexact")
    state = filters.CharFilter(field_name="state__iso3", lookup_expr="iexact")

    class Meta:
        model = Participation
        fields = ["framework", "state", "end_reason"]


class CountryNoteFilter(filters.FilterSet):
    state = filters.CharFilter(field_name="state__iso3", lookup_expr="iexact")
    q = filters.CharFilter(method="search", label="Text")

    class Meta:
        model = CountryNote
        fields = ["state"]

    def search(self, queryset: QuerySet[CountryNote], name: str, value: str) -> QuerySet[CountryNote]:
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value))
