"""The interoperability page: co-participation in the engagements the viewer may see, by year,
with each figure linked to the engagement list that shows the records behind it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from comity.assessment.api.interoperability_serializers import InteroperabilityQuerySerializer
from comity.assessment.interoperability_selectors import engagements_counted, interoperability_reading
from comity.core.banner import labels_of


@require_safe
def interoperability(request: HttpRequest) -> HttpResponse:
    """``?year=``: the year whose nations to list (default: the latest year of the series)."""
    query = InteroperabilityQuerySerializer(data={"year": request.GET["year"]} if request.GET.get("year") else {})
    context: dict[str, object] = {"year_text": request.GET.get("year", ""), "year": None, "series": [], "chosen": None}
    if not query.is_valid():
        context["errors"] = [f"{field}: {error}" for field, errors in query.errors.items() for error in errors]
        return render(request, "assessment/interoperability.html", context, status=400)
    reading = interoperability_reading(request.user, query.validated_data.get("year"))
    series, chosen = reading.series, reading.chosen
    nations = [(n, reading.names.get(n.iso3, n.iso3)) for n in chosen.most_central()] if chosen else []
    context.update(
        {
            "series": series,
            "chart": [
                {"year": n.year, "multinational": n.multinational, "ally_density": n.ally_density} for n in series
            ],
            "first_year": series[0].year if series else None,
            "last_year": series[-1].year if series else None,
            "year": reading.year,
            "chosen": chosen,
            "nations": nations,
            "counted_labels": labels_of(engagements_counted(request.user)),
        }
    )
    return render(request, "assessment/interoperability.html", context)
