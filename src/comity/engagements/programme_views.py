"""Partnership programme pages: each partner's programme and the PRIME workflow actions."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST, require_safe

from comity.core.labels import LabelError, label_from_marking
from comity.core.selectors import access_or_404, audit_history
from comity.engagements import prime, selectors, services, views
from comity.engagements.choices import ActivityRole
from comity.engagements.models import MenuItem, PartnerProgramme, ProgrammeActivity


@require_safe
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = PartnerProgramme.objects.visible_to(request.user).select_related("partner", "label")
    return render(request, "engagements/programmes.html", {"programmes": programmes})


@require_safe
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_or_404(PartnerProgramme.objects.select_related("partner"), request.user, pk=pk)
    activities = selectors.activities_visible(request.user).filter(programme=programme)
    menu = MenuItem.objects.visible_to(request.user)
    return render(
        request, "engagements/programme.html", {"programme": programme, "activities": activities, "menu": menu}
    )


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        raise prime.WorkflowError(f"{raw!r} is not a date (YYYY-MM-DD)") from None


@require_POST
def activity_propose(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access_or_404(PartnerProgramme.objects.all(), request.user, pk=pk)
    menu_item = access_or_404(MenuItem.objects.all(), request.user, pk=request.POST.get("menu_item") or 0)
    title = request.POST.get("title", "").strip() or menu_item.title
    try:
        activity = prime.activity_propose(
            acting_user=request.user,  # type: ignore[arg-type]
            programme=programme,
            menu_item=menu_item,
            key=slugify(f"{programme.partner.iso3}-{programme.cycle}-{title}")[:100],
            title=title,
            start_date=_date(request.POST.get("start_date", "")),
            end_date=_date(request.POST.get("end_date", "")),
            label=label_from_marking(request.POST.get("label", "") or programme.label.marking),
        )
    except (prime.WorkflowError, LabelError) as exc:
        messages.error(request, str(exc))
        transaction.set_rollback(True)  # the refused write leaves nothing, not even its label
        return redirect("engagements:programme", pk=pk)
    messages.success(request, "Activity proposed.")
    return redirect("engagements:activity", key=activity.key)


@require_safe
def activity_detail(request: HttpRequest, key: str) -> HttpResponse:
    activity = access_or_404(selectors.activities_visible(request.user), request.user, key=key)
    selectors.with_names_as_of([activity])
    user = request.user
    context = {
        "activity": activity,
        "assignments": activity.assignments.all(),
        "participants": activity.participants.all(),
        "next_states": services.moves_allowed(user, activity),
        "may_approve": prime.may_approve(user, activity),
        "may_invite": prime.may_invite(user, activity),
        "invited": prime.invited_nations(activity),
        "may_report": activity.assignments.filter(
            role__in=[ActivityRole.PROPOSER, ActivityRole.APPROVER], user_id=user.pk
        ).exists(),
        "history": audit_history(user, activity),
        **views.report_section(user, activity),
    }
    return render(request, "engagements/activity.html", context)


STEPS = ("approve", "invite", "register", "report")


@require_POST
def activity_step(request: HttpRequest, key: str, step: str) -> HttpResponse:
    activity = access_or_404(ProgrammeActivity.objects.all(), request.user, key=key)
    user = request.user
    try:
        if step == "approve":
            prime.activity_approve(acting_user=user, activity=activity)  # type: ignore[arg-type]
        elif step == "invite":
            nations = request.POST.get("nations", "").replace(",", " ").split()
            prime.activity_invite(acting_user=user, activity=activity, nations=nations)  # type: ignore[arg-type]
        elif step == "register":
            raw = request.POST.get("personnel", "")
            if not raw.isdigit():
                raise prime.WorkflowError("personnel must be a whole number")
            prime.activity_register(acting_user=user, activity=activity, personnel=int(raw))  # type: ignore[arg-type]
        elif step == "report":
            prime.activity_report(acting_user=user, activity=activity, feedback=request.POST.get("feedback", ""))  # type: ignore[arg-type]
        else:
            raise prime.WorkflowError(f"unknown step {step!r}; steps are {', '.join(STEPS)}")
        messages.success(request, f"Done: {step}.")
    except prime.WorkflowError as exc:
        messages.error(request, str(exc))
    return redirect("engagements:activity", key=key)
