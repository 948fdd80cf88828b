"""Objective pages: the objectives tree, an objective's progress, and the forms that add a
measurement, a node of the tree and an indicator.

Every figure on them is computed from the records the viewer may see (``objective_selectors``), and the
pages say so, always, in the same words (``COMPUTED_FROM``): a count of what is left out would
itself tell of hidden records. The form calls the service the API calls
(``services.measurement_create``); htmx swaps the form in place, and without JavaScript the
form's own page comes back. Invalid input answers 400 with the errors beside their fields, a
refusal of the write rule 403 with its reason; either way nothing is kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe
from django_htmx.http import HttpResponseClientRedirect

from comity.assessment import objective_selectors, services
from comity.assessment.forms import IndicatorForm, MeasurementForm, ObjectiveForm
from comity.core.authority import WriteAction
from comity.core.forms import refusal_on_form
from comity.core.permissions import WriteDenied, default_owner, write_decision
from comity.core.selectors import audit_history
from comity.engagements import objectives
from comity.engagements.models import Objective


@require_safe
def objectives_tree(request: HttpRequest) -> HttpResponse:
    tree = objective_selectors.objectives_tree(request.user)
    context = {"tree": tree, "computed_from": objective_selectors.COMPUTED_FROM}
    return render(request, "assessment/objectives.html", context)


def _refusal(request: HttpRequest, objective: Objective) -> str:
    """Why the user may not add a measurement here ("" when they may)."""
    decision = write_decision(request.user, WriteAction.CREATE, None, objective.owner)
    if not decision:
        return decision.reason
    if not objective.indicators.exists():
        return "this objective has no indicator to measure"
    return ""


@require_safe
def objective_detail(request: HttpRequest, code: str) -> HttpResponse:
    page = objective_selectors.objective_page(request.user, code)
    refusal = _refusal(request, page.objective)
    context = {
        "page": page,
        "charts": [p.chart() for p in page.indicators if p.measurements],
        "computed_from": objective_selectors.COMPUTED_FROM,
        "form": None if refusal else MeasurementForm(user=request.user, objective=page.objective),
        "refusal": refusal,
        "may_add_indicator": bool(write_decision(request.user, WriteAction.CREATE, None, page.objective.owner)),
        "history": audit_history(request.user, page.objective).order_by("-time", "-id")[:50],
    }
    return render(request, "assessment/objective.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def measurement_add(request: HttpRequest, code: str) -> HttpResponse:
    """Enter a measurement of one of the objective's indicators, with its evidence."""
    objective = objective_selectors.objective_or_404(request.user, code)
    form = MeasurementForm(request.POST if request.method == "POST" else None, user=request.user, objective=objective)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.measurement_create(
                    acting_user=request.user,  # type: ignore[arg-type]
                    indicator=data["indicator"],
                    day=data["day"],
                    value=data["value"],
                    evidence=form.evidence(),
                    label=data["label"],
                    note=data["note"],
                )
            except (WriteDenied, services.MeasurementError) as exc:
                status = refusal_on_form(form, exc)
            else:
                messages.success(request, "Measurement saved.")
                url = reverse("assessment:objective", args=[objective.code])
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)  # type: ignore[attr-defined]
    context = {"objective": objective, "form": form, "refusal": _refusal(request, objective)}
    template = "assessment/_measurement_form.html" if request.htmx else "assessment/measurement_form.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def objective_add(request: HttpRequest) -> HttpResponse:
    """Add a node to the objectives tree, owned by the writer's scope."""
    user = request.user
    form = ObjectiveForm(request.POST if request.method == "POST" else None, user=user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                objective = objectives.objective_create(
                    acting_user=user,  # type: ignore[arg-type]
                    code=form.cleaned_data["code"],
                    values=form.as_input(),
                    label=form.cleaned_data["label"],
                )
            except (WriteDenied, Http404, objectives.ObjectiveError) as exc:
                if isinstance(exc, Http404):  # a parent hidden since the form read it: as missing
                    exc = objectives.ObjectiveError("parent", "no objective you may see has this code")
                status = refusal_on_form(form, exc)
            else:
                messages.success(request, "Objective saved.")
                return redirect(reverse("assessment:objective", args=[objective.code]))
    decision = write_decision(user, WriteAction.CREATE, None, default_owner(user))  # type: ignore[arg-type]
    context = {"form": form, "refusal": "" if decision else decision.reason}
    return render(request, "assessment/objective_form.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def indicator_add(request: HttpRequest, code: str) -> HttpResponse:
    """Add an indicator to an objective the user may see, as an editor of its owner."""
    objective = objective_selectors.objective_or_404(request.user, code)
    form = IndicatorForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                objectives.indicator_create(acting_user=request.user, objective=objective, values=form.as_input())  # type: ignore[arg-type]
            except (WriteDenied, objectives.ObjectiveError) as exc:
                status = refusal_on_form(form, exc)
            else:
                messages.success(request, "Indicator saved.")
                return redirect(reverse("assessment:objective", args=[objective.code]))
    decision = write_decision(request.user, WriteAction.CREATE, None, objective.owner)
    context = {"objective": objective, "form": form, "refusal": "" if decision else decision.reason}
    return render(request, "assessment/indicator_form.html", context, status=status)
