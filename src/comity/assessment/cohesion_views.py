"""The political-cohesion page: the Allies' agreement in UN votes over the years and in one year.

The figures are public (UN roll calls); the page names the sources beside the table and says
what each measure means, so a raw agreement share is never read as more than it is.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from comity.assessment import cohesion_selectors as selectors
from comity.assessment.api.cohesion_serializers import CohesionQuerySerializer


@require_safe
def cohesion(request: HttpRequest) -> HttpResponse:
    """``?year=`` (default: the latest session) and ``?with=`` (default: Russia and China)."""
    years = selectors.cohesion_years()
    year_text = request.GET.get("year") or str(years[-1])
    with_text = request.GET.get("with") or ",".join(selectors.DEFAULT_OTHERS)
    query = CohesionQuerySerializer(data={"year": year_text, "with": with_text})
    context = {
        "years": years,
        "year_text": year_text,
        "with_text": with_text,
        "sources": (selectors.VOTES_SOURCE, selectors.IDEALPOINTS_SOURCE),
    }
    if not query.is_valid():
        context["errors"] = [f"{field}: {error}" for field, errors in query.errors.items() for error in errors]
        return render(request, "assessment/cohesion.html", context, status=400)
    others = query.validated_data["others"]
    table = selectors.cohesion_table(query.validated_data["year"], others)
    context.update(
        {
            "table": table,
            "series": selectors.cohesion_series(others),
            "against": [(table.others[code], cohesion) for code, cohesion in table.against.items()],
        }
    )
    return render(request, "assessment/cohesion.html", context)
