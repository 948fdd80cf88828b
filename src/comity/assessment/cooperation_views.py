"""The cooperation-climate page: net cooperation in the event data the viewer may see, by period,
each line linked to the event pages that show the events behind it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from comity.assessment.api.cooperation_serializers import FREQUENCIES, CooperationQuerySerializer
from comity.assessment.cooperation_selectors import DEFAULT_OTHERS, ClimateLine, cooperation_climate
from comity.core.models import ConfidentialityLabel
from comity.events import selectors as events
from comity.registry.selectors import names_on


def _values(line: ClimateLine, periods: list[str]) -> list[float | None]:
    """The line's net cooperation in each period (None where it has no events)."""
    by_period = {point.period: point.net for point in line.points}
    return [by_period.get(period) for period in periods]


@require_safe
def cooperation(request: HttpRequest) -> HttpResponse:
    data = {key: value for key, value in request.GET.items() if value != ""}
    query = CooperationQuerySerializer(data=data)
    context: dict[str, object] = {
        "freqs": FREQUENCIES,
        "freq": data.get("freq", "year"),
        "with_text": data.get("with", ",".join(DEFAULT_OTHERS)),
        "lines": [],
    }
    if not query.is_valid():
        context["errors"] = [f"{field}: {error}" for field, errors in query.errors.items() for error in errors]
        return render(request, "assessment/cooperation.html", context, status=400)
    others = query.validated_data["others"]
    lines = cooperation_climate(
        request.user, others, names_on(others, timezone.localdate()), freq=query.validated_data["freq"]
    )
    periods = sorted({point.period for line in lines for point in line.points})
    chart = {
        "periods": periods,
        "lines": [
            {
                "name": line.name,
                "values": [next((p.net for p in line.points if p.period == period), None) for period in periods],
            }
            for line in lines
        ],
    }
    # The labels of the stored events the reader may see, as the event pages badge them: the lines
    # are counted from those events, so the banner covers them.
    stored = [row["label_id"] for row in events.store_summary(request.user)]
    counted = list(ConfidentialityLabel.objects.filter(pk__in=stored).order_by("pk"))
    context.update({"lines": lines, "chart": chart, "freq": query.validated_data["freq"], "counted_labels": counted})
    return render(request, "assessment/cooperation.html", context)
