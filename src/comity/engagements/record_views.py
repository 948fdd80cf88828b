"""Record pages that write: create and edit an engagement of any kind in the browser.

The pages call the services the API calls (``services.engagement_create`` and
``engagement_update``), so a record made here is checked and logged exactly as one made through
the API. Invalid input answers 400 with the form and what was typed; a write the rule refuses
answers 403 with its reason on the form; either way nothing is kept (``RefusedFormRollsBack``).
Lifecycle moves stay on the record's page (``views.engagement_transition``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from comity.core.authority import WriteAction
from comity.core.forms import refusal_on_form
from comity.core.permissions import WriteDenied, writable_owners, write_decision
from comity.core.selectors import access_or_404
from comity.engagements import services
from comity.engagements.choices import EngagementKind
from comity.engagements.forms import FORM_KINDS, EngagementForm
from comity.engagements.models import Engagement
from comity.engagements.views import detail_url


@require_http_methods(["GET", "HEAD", "POST"])
def record_create(request: HttpRequest, kind: str) -> HttpResponse:
    """A new record of ``kind`` for a scope the user edits for."""
    model = FORM_KINDS.get(kind)
    if model is None:
        raise Http404("No such kind of record.")
    if not writable_owners(request.user, WriteAction.CREATE):
        raise PermissionDenied("You are an editor for no nation or organisation, so you may not record engagements.")
    form = EngagementForm(request.POST or None, user=request.user, model=model)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            participants, objectives = form.links()
            try:
                record = services.engagement_create(
                    acting_user=request.user,  # type: ignore[arg-type]
                    model=model,
                    kind=kind,
                    key=form.cleaned_data["key"],
                    values=form.values(),
                    participants=participants or [],
                    objectives=objectives or [],
                )
            except (WriteDenied, services.EngagementChangeError) as exc:
                status = refusal_on_form(form, exc)
            else:
                messages.success(request, f"{EngagementKind(kind).label} recorded.")
                return redirect(detail_url(record))
    context = {"form": form, "kind_name": EngagementKind(kind).label, "record": None}
    return render(request, "engagements/record_form.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def record_edit(request: HttpRequest, key: str) -> HttpResponse:
    """Change a record the user may see; the rule decides whether they may change it."""
    kind = access_or_404(Engagement.objects.all(), request.user, key=key).kind
    if kind not in FORM_KINDS:
        raise Http404("This kind of record is changed through its own workflow.")
    model = FORM_KINDS[kind]
    record = access_or_404(
        model.objects.select_related("label", "lead_state", "lead_organisation"), request.user, key=key
    )
    form = EngagementForm(request.POST or None, user=request.user, model=model, record=record)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            participants, objectives = form.links()
            try:
                services.engagement_update(
                    acting_user=request.user,  # type: ignore[arg-type]
                    engagement=record,
                    values=form.values(),
                    participants=participants,
                    objectives=objectives,
                )
            except (WriteDenied, services.EngagementChangeError) as exc:
                status = refusal_on_form(form, exc)
            else:
                messages.success(request, "Changes saved.")
                return redirect(detail_url(record))
    decision = write_decision(request.user, WriteAction.CHANGE, record, record.owner)
    context = {
        "form": form,
        "kind_name": EngagementKind(kind).label,
        "record": record,
        "refusal": "" if decision else decision.reason,
    }
    return render(request, "engagements/record_form.html", context, status=status)
