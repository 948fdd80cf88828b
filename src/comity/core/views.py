"""Core pages: the desk (home) and its Needs attention list, the user's access, the change log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from comity.core.audit_filters import AuditFilterForm
from comity.core.banner import LABEL_PREFETCH, LABEL_SELECT
from comity.core.desk import desk_read
from comity.core.models import Clearance
from comity.core.selectors import audit_log_entries, group_resolver


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's desk: the first items of every panel the apps offer (``core.desk``)."""
    views = desk_read(request.user)  # type: ignore[arg-type]
    return render(
        request,
        "core/home.html",
        {
            "attention": [view for view in views if view.panel.needs_attention],
            "information": [view for view in views if not view.panel.needs_attention],
        },
    )


@require_safe
def desk_attention(request: HttpRequest) -> HttpResponse:
    """Needs attention: every item of the panels that wait for the user to act."""
    views = desk_read(request.user, limit=None, attention_only=True)  # type: ignore[arg-type]
    return render(request, "core/attention.html", {"attention": views})


@require_safe
def my_access(request: HttpRequest) -> HttpResponse:
    """What the signed-in user is cleared for today, and why (nation, groups, grants)."""
    user = request.user
    today = timezone.localdate()
    nation = getattr(user, "nationality", "")
    context = {
        "today": today,
        "nation": nation,
        "groups": sorted(group_resolver()(nation, today)) if nation else [],
        "clearances": Clearance.objects.filter(user=user).select_related("policy", "classification"),
        "grants": user.category_grants.all(),  # type: ignore[union-attr]
    }
    return render(request, "core/my_access.html", context)


@require_safe
@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The change log: who changed and (for auditors) who read what, filtered by the entries'
    labels like every other labelled list, and by record, user, nation, action and period."""
    form = AuditFilterForm(request.GET)
    entries = (
        audit_log_entries(request.user, form.filters())
        .select_related("content_type", *LABEL_SELECT)
        .prefetch_related(*LABEL_PREFETCH)
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page, "form": form})
