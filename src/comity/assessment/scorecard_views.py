"""The scorecard page: the Allies ranked on four indicators, every rank beside its range."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from comity.assessment.api.scorecard_serializers import ScorecardQuerySerializer
from comity.assessment.interoperability_selectors import engagements_counted
from comity.assessment.scorecard import AGGREGATIONS, NORMALISATIONS
from comity.assessment.scorecard_selectors import INDICATORS, scorecard_page, scorecard_years
from comity.core.banner import labels_of


@require_safe
def scorecard(request: HttpRequest) -> HttpResponse:
    years = scorecard_years()
    data = {key: value for key, value in request.GET.items() if value != ""}
    data.setdefault("year", str(years[-1]))
    query = ScorecardQuerySerializer(data=data)
    context: dict[str, object] = {
        "years": years,
        "form": data,
        "indicators": INDICATORS,
        "normalisations": NORMALISATIONS,
        "aggregations": AGGREGATIONS,
        "page": None,
    }
    if not query.is_valid():
        context["errors"] = [f"{field}: {error}" for field, errors in query.errors.items() for error in errors]
        return render(request, "assessment/scorecard.html", context, status=400)
    page = scorecard_page(
        request.user,
        query.validated_data["year"],
        weights=query.validated_data.get("weights"),
        normalisation=query.validated_data["normalisation"],
        aggregation=query.validated_data["aggregation"],
    )
    rows = []
    if page.card is not None:
        for scores in page.ranked:
            rows.append(
                {
                    "scores": scores,
                    "values": [scores.values[spec.code] for spec in INDICATORS],
                    "composite": page.card.composite[scores.iso3],
                    "rank": page.card.ranks[scores.iso3],
                }
            )
    counted = labels_of(engagements_counted(request.user))
    context.update({"page": page, "rows": rows, "count": len(rows), "counted_labels": counted})
    return render(request, "assessment/scorecard.html", context)
