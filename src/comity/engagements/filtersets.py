"""Filters of the engagement API (the same ones the calendar pages offer)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters

from comity.engagements.choices import EngagementKind, Status
from comity.engagements.models import Engagement


class EngagementFilter(filters.FilterSet):
    nation = filters.CharFilter(method="by_nation", label="Participating or leading nation (ISO alpha-3)")
    kind = filters.ChoiceFilter(choices=EngagementKind.choices)
    status = filters.ChoiceFilter(choices=Status.choices)
    objective = filters.CharFilter(field_name="objectives__code")
    year = filters.NumberFilter(method="by_year")
    start = filters.DateFilter(field_name="start_date", lookup_expr="gte")
    end = filters.DateFilter(field_name="start_date", lookup_expr="lte")
    q = filters.CharFilter(method="search")

    class Meta:
        model = Engagement
        fields = ["nation", "kind", "status", "objective", "year", "start", "end"]

    def by_nation(self, queryset: QuerySet[Engagement], name: str, value: str) -> QuerySet[Engagement]:
        code = value.upper()
        return queryset.filter(Q(participants__state__iso3=code) | Q(lead_state__iso3=code)).distinct()

    def by_year(self, queryset: QuerySet[Engagement], name: str, value: int) -> QuerySet[Engagement]:
        return queryset.filter(start_date__year__lte=value).filter(
            Q(end_date__year__gte=value) | Q(end_date__isnull=True, start_date__year=value)
        )

    def search(self, queryset: QuerySet[Engagement], name: str, value: str) -> QuerySet[Engagement]:
        return queryset.filter(Q(title__icontains=value) | Q(key__icontains=value) | Q(location__icontains=value))
