"""Core pages: home, the signed-in user's access, and the change log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from comity.core.banner import LABEL_PREFETCH, LABEL_SELECT
from comity.core.models import Clearance
from comity.core.selectors import audit_entries_visible, group_resolver


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The desk's front page: what the user can reach."""
    return render(request, "core/home.html")


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
    """The change log, filtered by the entries' labels like every other labelled list."""
    entries = (
        audit_entries_visible(request.user)
        .select_related("content_type", *LABEL_SELECT)
        .prefetch_related(*LABEL_PREFETCH)
    )
    if object_type := request.GET.get("type"):
        entries = entries.filter(content_type__model=object_type.lower())
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page, "type": object_type or ""})
