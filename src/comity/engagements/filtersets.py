"""Filters of the engagement API (the same ones the calendar pages offer)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from comity.core.api.filters import WholeNumberFilter
from comity.engagements.choices import EngagementKind, Status
from comity.engagements.models import Engagement, Objective
from comity.engagements.selectors import in_year, with_nation

#: The years a date can have (Python's ``date`` stops at 9999); the year filters accept these.
MIN_YEAR, MAX_YEAR = 1, 9999


@extend_schema_field({"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR})
class YearFilter(WholeNumberFilter):
    """A calendar year: a whole number from ``MIN_YEAR`` to ``MAX_YEAR`` (else a 400 naming it)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(min_value=MIN_YEAR, max_value=MAX_YEAR, **kwargs)


class EngagementFilter(filters.FilterSet):
    nation = filters.CharFilter(method="by_nation", label="Participating or leading nation (ISO alpha-3)")
    kind = filters.ChoiceFilter(choices=EngagementKind.choices)
    status = filters.ChoiceFilter(choices=Status.choices)
    objective = filters.CharFilter(method="by_objective", label="Objective code")
    year = YearFilter(method="by_year", label="Running at some time in this year")
    start = filters.DateFilter(field_name="start_date", lookup_expr="gte")
    end = filters.DateFilter(field_name="start_date", lookup_expr="lte")
    q = filters.CharFilter(method="search")

    class Meta:
        model = Engagement
        fields = ["nation", "kind", "status", "objective", "year", "start", "end"]

    def by_nation(self, queryset: QuerySet[Engagement], name: str, value: str) -> QuerySet[Engagement]:
        return with_nation(queryset, value)

    def by_objective(self, queryset: QuerySet[Engagement], name: str, value: str) -> QuerySet[Engagement]:
        """Engagements serving an objective the requester may see; a hidden code matches nothing,
        as an unknown one does, so the filter cannot tell which records a hidden objective links."""
        user = getattr(self.request, "user", None)
        return queryset.filter(objectives__in=Objective.objects.visible_to(user).filter(code=value))  # type: ignore[arg-type]

    def by_year(self, queryset: QuerySet[Engagement], name: str, value: int) -> QuerySet[Engagement]:
        return in_year(queryset, value)

    def search(self, queryset: QuerySet[Engagement], name: str, value: str) -> QuerySet[Engagement]:
        return queryset.filter(Q(title__icontains=value) | Q(key__icontains=value) | Q(location__icontains=value))
