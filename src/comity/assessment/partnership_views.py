"""The partnership-depth page: each partner programme's activities through the PRIME steps."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from comity.assessment.partnership_selectors import partnership_depth
from comity.engagements.choices import Workflow


@require_safe
def partnerships(request: HttpRequest) -> HttpResponse:
    rows = partnership_depth(request.user)
    table = [(row, [row.by_step[step.value] for step in Workflow]) for row in rows]
    return render(request, "assessment/partnerships.html", {"table": table, "steps": list(Workflow)})
