"""After-action report pages: the report of an engagement, and the form that writes or changes it.

The pages call the services the API calls (``reports.report_create`` / ``report_update``).
Invalid input answers 400 with the form, what was typed and the errors beside their fields; a
write the rule refuses answers 403 with its reason; either way nothing is kept. "Add an
observation" posts the form back and gets it again, unchecked, with one observation row more
(htmx swaps in just that part). A report hidden
from the reader answers 404 exactly as one that does not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from comity.core.authority import WriteAction
from comity.core.forms import refusal_on_form
from comity.core.permissions import WriteDenied, write_decision
from comity.core.selectors import access_or_404, audit_history
from comity.engagements import reports, selectors
from comity.engagements.models import Engagement
from comity.engagements.report_forms import (
    ADD_OBSERVATION,
    ReportForm,
    observation_formset,
    observations_with_a_row_more,
)
from comity.engagements.views import detail_url, report_section


@require_safe
def report_detail(request: HttpRequest, key: str) -> HttpResponse:
    report = selectors.report_visible(request.user, key)
    engagement = report.engagement
    context = {
        **report_section(request.user, engagement),
        "report": report,
        "engagement": engagement,
        "engagement_url": detail_url(engagement),
        "history": audit_history(request.user, report),
    }
    return render(request, "engagements/report.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def report_edit(request: HttpRequest, key: str) -> HttpResponse:
    """Write the report of an engagement the user may see, or change the one they may see."""
    user = request.user
    engagement = access_or_404(Engagement.objects.select_related("label"), user, key=key)
    report = selectors.report_of(user, engagement)
    data = request.POST if request.method == "POST" else None
    form = ReportForm(data, user=user, engagement=engagement, report=report)
    observations = observation_formset(data, report)
    adding = request.method == "POST" and request.POST.get("action") == ADD_OBSERVATION
    if adding:  # htmx swaps in the observations only; without JavaScript the page comes back whole
        form.show_unchecked()
        observations = observations_with_a_row_more(request.POST)
    status = 200
    if request.method == "POST" and not adding:
        status = 400
        if form.is_valid() and observations.is_valid():
            written = [row for row in (f.as_input() for f in observations.forms) if row is not None]
            try:
                if report is None:
                    report = reports.report_create(
                        acting_user=user,  # type: ignore[arg-type]
                        engagement=engagement,
                        label=form.cleaned_data["label"],
                        summary=form.cleaned_data["summary"],
                        achievements=form.achievements(),
                        observations=written,
                        feedback=form.feedback_inputs() or [],
                    )
                else:
                    reports.report_update(
                        acting_user=user,  # type: ignore[arg-type]
                        report=report,
                        label=form.cleaned_data["label"] if form.label_changed() else None,
                        summary=form.cleaned_data["summary"],
                        achievements=form.achievements(),
                        observations=written,
                        feedback=form.feedback_inputs(),
                    )
            except (WriteDenied, reports.ReportError) as exc:
                status = refusal_on_form(form, exc)
            else:
                messages.success(request, "After-action report saved.")
                return redirect(reverse("engagements:report", args=[engagement.key]))
    action = WriteAction.CREATE if report is None else WriteAction.CHANGE
    decision = write_decision(user, action, report, engagement.owner)
    refusal = "" if decision else decision.reason
    if not refusal and report is None and engagement.status not in reports.REPORTABLE:
        refusal = f"a report follows the engagement, and it is {engagement.get_status_display().lower()}"
    context = {
        "form": form,
        "observations": observations,
        "engagement": engagement,
        "engagement_url": detail_url(engagement),
        "report": report,
        "refusal": refusal,
    }
    return render(request, "engagements/report_form.html", context, status=status)
