"""The partnership-depth page: each partner programme's activities through the PRIME steps."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from comity.assessment.partnership_selectors import partnership_depth, programmes_counted
from comity.core.banner import labels_of
from comity.engagements.choices import Workflow


@require_safe
def partnerships(request: HttpRequest) -> HttpResponse:
    rows = partnership_depth(request.user)
    table = [(row, [row.by_step[step.value] for step in Workflow]) for row in rows]
    counted = labels_of(*programmes_counted(request.user))
    context = {"table": table, "steps": list(Workflow), "counted_labels": counted}
    return render(request, "assessment/partnerships.html", context)
