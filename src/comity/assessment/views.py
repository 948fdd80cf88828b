"""Assessment pages: the burden-sharing indicator for one year, as a bar chart and a table.

The figures are public; each cell shows its provenance (a numbered source below the table) and
whether it is an estimate or unverified, so that nothing reads as NATO's final figure unless
comity checked it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from comity.assessment import selectors
from comity.assessment.api.serializers import BurdenQuerySerializer
from comity.assessment.burden import EQUIPMENT_GUIDELINE, GDP_GUIDELINE


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The assessment pages, each with a line on what it answers."""
    return render(request, "assessment/index.html")


@require_safe
def burden(request: HttpRequest) -> HttpResponse:
    """``?year=``; without one, the latest year whose NATO figures are not estimates."""
    raw = request.GET.get("year") or str(selectors.burden_default_year())
    query = BurdenQuerySerializer(data={"year": raw})
    context = {
        "years": selectors.burden_years(),
        "year_text": raw,
        "gdp_guideline": GDP_GUIDELINE,
        "equipment_guideline": EQUIPMENT_GUIDELINE,
    }
    if not query.is_valid():
        context["errors"] = query.errors["year"]
        return render(request, "assessment/burden.html", context, status=400)
    context["page"] = selectors.burden_page(query.validated_data["year"])
    return render(request, "assessment/burden.html", context)
