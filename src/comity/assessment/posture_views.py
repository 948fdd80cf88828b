"""The deterrence-posture page: Baltic Air Policing coverage by year and the eFP battlegroups,
from the engagement records the viewer may see, each figure linked to its records."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from comity.assessment.posture_selectors import (
    air_policing_coverage,
    battlegroups,
    battlegroups_by_year,
    posture_records,
)
from comity.core.banner import labels_of

#: The Warsaw Summit (July 2016) decided the battlegroups; the first deployed in 2017.
EFP_FIRST_YEAR = 2017


@require_safe
def posture(request: HttpRequest) -> HttpResponse:
    groups = battlegroups(request.user)
    return render(
        request,
        "assessment/posture.html",
        {
            "coverage": air_policing_coverage(request.user),
            "battlegroups": groups,
            "counted_labels": labels_of(posture_records(request.user)),
            "standing": battlegroups_by_year(groups, EFP_FIRST_YEAR, timezone.localdate().year) if groups else [],
        },
    )
