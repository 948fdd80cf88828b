"""The annual assessment report as a page and as a PDF, built for the signed-in reader."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from rest_framework import serializers

from comity.assessment.report import build_report
from comity.assessment.report_pdf import report_pdf
from comity.assessment.scorecard_selectors import scorecard_years


class ReportQuerySerializer(serializers.Serializer):
    """``year``: one the report's indicators all cover (the scorecard's years, 2012 to 2019)."""

    year = serializers.IntegerField()

    def validate_year(self, year: int) -> int:
        years = scorecard_years()
        if year not in years:
            raise serializers.ValidationError(f"{year} is outside the report's years ({years[0]} to {years[-1]})")
        return year


def _year(request: HttpRequest) -> tuple[int | None, list[str]]:
    query = ReportQuerySerializer(data={"year": request.GET.get("year") or str(scorecard_years()[-1])})
    if not query.is_valid():
        return None, [f"{field}: {error}" for field, errors in query.errors.items() for error in errors]
    return query.validated_data["year"], []


@require_safe
def report(request: HttpRequest) -> HttpResponse:
    year, errors = _year(request)
    if year is None:
        return render(request, "assessment/report_error.html", {"errors": errors}, status=400)
    built = build_report(request.user, year)
    # The page's banner is the bound of everything the report holds, as the PDF's is.
    request.comity_labels = [*getattr(request, "comity_labels", []), *built.labels]  # type: ignore[attr-defined]
    return render(request, "assessment/report.html", {"report": built, "years": scorecard_years()})


@require_safe
def report_download(request: HttpRequest) -> HttpResponse:
    year, errors = _year(request)
    if year is None:
        return render(request, "assessment/report_error.html", {"errors": errors}, status=400)
    response = HttpResponse(report_pdf(build_report(request.user, year)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="comity-assessment-{year}.pdf"'
    return response
