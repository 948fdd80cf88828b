"""The interoperability page: co-participation in the engagements the viewer may see, by year,
with each figure linked to the engagement list that shows the records behind it."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from comity.assessment.api.interoperability_serializers import InteroperabilityQuerySerializer
from comity.assessment.interoperability_selectors import interoperability_series
from comity.registry.selectors import names_on


@require_safe
def interoperability(request: HttpRequest) -> HttpResponse:
    """``?year=``: the year whose nations to list (default: the latest year of the series)."""
    query = InteroperabilityQuerySerializer(data={"year": request.GET["year"]} if request.GET.get("year") else {})
    series = interoperability_series(request.user)
    context: dict[str, object] = {"year_text": request.GET.get("year", ""), "year": None, "series": [], "chosen": None}
    if not query.is_valid():
        context["errors"] = [f"{field}: {error}" for field, errors in query.errors.items() for error in errors]
        return render(request, "assessment/interoperability.html", context, status=400)
    year = query.validated_data.get("year") or (series[-1].year if series else None)
    chosen = next((network for network in series if network.year == year), None)
    nations = []
    if chosen is not None and year is not None:
        names = names_on([nation.iso3 for nation in chosen.nations], date(year, 12, 31))
        ranked = sorted(chosen.nations, key=lambda nation: (-nation.centrality, nation.iso3))
        nations = [(nation, names.get(nation.iso3, nation.iso3)) for nation in ranked]
    context.update(
        {
            "series": series,
            "chart": [
                {"year": n.year, "multinational": n.multinational, "ally_density": n.ally_density} for n in series
            ],
            "first_year": series[0].year if series else None,
            "last_year": series[-1].year if series else None,
            "year": year,
            "chosen": chosen,
            "nations": nations,
        }
    )
    return render(request, "assessment/interoperability.html", context)
