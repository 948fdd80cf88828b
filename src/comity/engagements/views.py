"""Engagement pages: list, month calendar, multi-year timeline, detail with lifecycle, the Vienna
Document deadline list and a country's engagement profile. All of them read through
``visible_to``.
"""

from __future__ import annotations

import calendar as calendar_module
from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from comity.core.selectors import access_or_404, audit_history
from comity.engagements import selectors, services
from comity.engagements.api.serializers import NetworkParams
from comity.engagements.choices import EngagementKind
from comity.engagements.filtersets import EngagementFilter
from comity.engagements.forms import creatable_kinds, may_edit
from comity.engagements.kinds import kind_fields
from comity.engagements.lifecycle import TransitionError
from comity.engagements.models import Engagement, Objective
from comity.engagements.page_params import CALENDAR_YEARS, MonthForm, TimelineForm
from comity.registry.models import State


def _filtered(request: HttpRequest) -> EngagementFilter:
    return EngagementFilter(request.GET, queryset=selectors.engagements_visible(request.user), request=request)


@require_safe
def engagement_list(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    page = Paginator(filterset.qs.order_by("-start_date", "title"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "engagements/list.html",
        {
            "page": page,
            "filter": filterset,
            "kinds": EngagementKind.choices,
            "objectives": Objective.objects.visible_to(request.user),
            "new_kinds": creatable_kinds(request.user),
        },
    )


@require_safe
def timeline(request: HttpRequest) -> HttpResponse:
    """Years across, one bar per engagement: the multi-year view (400 with the form's errors)."""
    form = TimelineForm(request.GET, first=2014, last=timezone.localdate().year)
    if not form.is_valid():
        context = {"form": form, "rows": [], "years": [], "first": form.data.get("from"), "last": form.data.get("to")}
        return render(request, "engagements/timeline.html", context, status=400)
    first, last = form.cleaned_data["from"], form.cleaned_data["to"]
    span_start, span_end = date(first, 1, 1), date(last, 12, 31)
    rows = []
    total = (span_end - span_start).days
    for engagement in (
        _filtered(request).qs.filter(start_date__lte=span_end, start_date__gte=span_start).order_by("start_date")
    ):
        end = engagement.end_date or engagement.start_date
        left = (engagement.start_date - span_start).days / total * 100
        width = max(((end - engagement.start_date).days + 1) / total * 100, 0.3)
        rows.append((engagement, round(left, 3), round(width, 3)))
    years = list(range(first, last + 1))
    return render(
        request,
        "engagements/timeline.html",
        {"form": form, "rows": rows, "years": years, "first": first, "last": last, "year_width": 100 / len(years)},
    )


@require_safe
def month_calendar(request: HttpRequest) -> HttpResponse:
    """One month, week by week (400 with the form's errors for a month or year out of range)."""
    today = timezone.localdate()
    form = MonthForm(request.GET, year=today.year, month=today.month)
    if not form.is_valid():
        return render(request, "engagements/calendar.html", {"form": form, "weeks": []}, status=400)
    year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    month_start = date(year, month, 1)
    month_end = date(year, month, calendar_module.monthrange(year, month)[1])
    engagements = list(_filtered(request).qs.filter(start_date__lte=month_end).exclude(end_date__lt=month_start))
    weeks = []
    for week in calendar_module.Calendar().monthdatescalendar(year, month):
        weeks.append(
            [
                (day, [e for e in engagements if e.start_date and e.start_date <= day <= (e.end_date or e.start_date)])
                for day in week
            ]
        )
    previous_month = date(year - (month == 1), 12 if month == 1 else month - 1, 1)
    next_month = date(year + (month == 12), 1 if month == 12 else month + 1, 1)
    low, high = CALENDAR_YEARS
    return render(
        request,
        "engagements/calendar.html",
        {
            "form": form,
            "weeks": weeks,
            "month_start": month_start,
            "previous": previous_month if previous_month.year >= low else None,
            "next": next_month if next_month.year <= high else None,
        },
    )


@require_safe
def exercise_detail(request: HttpRequest, key: str) -> HttpResponse:
    exercise = access_or_404(selectors.exercises_visible(request.user), request.user, key=key)
    history = audit_history(request.user, exercise)
    return render(
        request,
        "engagements/detail.html",
        {
            "exercise": exercise,
            "history": history,
            "next_states": services.moves_allowed(request.user, exercise),
            "may_edit": may_edit(request.user, exercise),
        },
    )


def detail_url(engagement: Engagement) -> str:
    """The page of an engagement, by kind."""
    if engagement.kind == EngagementKind.PROGRAMME:
        return reverse("engagements:activity", args=[engagement.key])
    if engagement.kind == EngagementKind.EXERCISE:
        return reverse("engagements:detail", args=[engagement.key])
    return reverse("engagements:record", args=[engagement.key])


@require_safe
def record_detail(request: HttpRequest, key: str) -> HttpResponse:
    """Any engagement that is not an exercise or programme activity: base facts and its kind's."""
    record = selectors.record_visible(request.user, key)
    if record.kind in (EngagementKind.EXERCISE, EngagementKind.PROGRAMME):
        return redirect(detail_url(record))
    facts = [
        (record._meta.get_field(name).verbose_name.capitalize(), _display(record, name))
        for name in kind_fields(type(record))
    ]
    history = audit_history(request.user, record)
    return render(
        request,
        "engagements/record.html",
        {
            "record": record,
            "facts": facts,
            "history": history,
            "next_states": services.moves_allowed(request.user, record),
            "may_edit": may_edit(request.user, record),
            "participants": record.participants.all(),
        },
    )


def _display(record: Engagement, name: str) -> object:
    getter = getattr(record, f"get_{name}_display", None)
    return getter() if getter else getattr(record, name)


@require_POST
def engagement_transition(request: HttpRequest, key: str) -> HttpResponse:
    """A lifecycle button: move any engagement the user may see, or say why not."""
    engagement = access_or_404(Engagement.objects.all(), request.user, key=key)
    try:
        services.engagement_transition(acting_user=request.user, engagement=engagement, to=request.POST.get("to", ""))
        messages.success(request, f"Now {engagement.get_status_display().lower()}.")
    except TransitionError as exc:
        messages.error(request, str(exc))
    return redirect(detail_url(engagement))


@require_safe
def vienna_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.vienna_deadlines(request.user)
    return render(request, "engagements/vienna.html", {"rows": rows, "today": timezone.localdate()})


@require_safe
def country_profile(request: HttpRequest, iso3: str) -> HttpResponse:
    state = get_object_or_404(State, iso3=iso3.upper())
    engagements = selectors.filter_engagements(selectors.engagements_visible(request.user), nation=state.iso3)
    by_year: dict[int, int] = {}
    for engagement in engagements:
        if engagement.start_date:
            by_year[engagement.start_date.year] = by_year.get(engagement.start_date.year, 0) + 1
    return render(
        request,
        "engagements/country.html",
        {
            "state": state,
            "engagements": engagements.order_by("-start_date"),
            "by_year": sorted(by_year.items()),
        },
    )


@require_safe
def network(request: HttpRequest) -> HttpResponse:
    """Who trains with whom, per year (drawn by the vendored Cytoscape.js from the API)."""
    params = NetworkParams(data={"year": request.GET["year"]} if request.GET.get("year") else {})
    if not params.is_valid():
        context = {"year": request.GET["year"], "errors": params.errors["year"]}
        return render(request, "engagements/network.html", context, status=400)
    return render(request, "engagements/network.html", {"year": params.validated_data.get("year", "")})


@require_safe
def engagement_map(request: HttpRequest) -> HttpResponse:
    """Where the engagements the user may see took place, on the vendored Leaflet map; those the
    rules of ``engagements.places`` cannot place are counted and listed under it."""
    params = NetworkParams(data={"year": request.GET["year"]} if request.GET.get("year") else {})
    if not params.is_valid():
        context = {"year": request.GET["year"], "errors": params.errors["year"]}
        return render(request, "engagements/map.html", context, status=400)
    year = params.validated_data.get("year")
    placed, unplaced = selectors.engagement_places(request.user, year=year)
    points = [
        {
            "key": engagement.key,
            "title": engagement.title,
            "start": engagement.start_date.isoformat() if engagement.start_date else None,
            "label": engagement.label.marking,
            "url": reverse("engagements:record", args=[engagement.key]),
            "lat": place.latitude,
            "lng": place.longitude,
            "precision": place.precision,
            "basis": place.basis,
        }
        for engagement, place in placed
    ]
    labels = {engagement.label.pk: engagement.label for engagement, _ in placed}
    context = {
        "year": year or "",
        "points": points,
        "labels": sorted(labels.values(), key=lambda label: label.marking),
        "unplaced": unplaced,
        "by_precision": {name: sum(p["precision"] == name for p in points) for name in ("recorded", "base", "capital")},
    }
    return render(request, "engagements/map.html", context)


@require_safe
def attache_network(request: HttpRequest) -> HttpResponse:
    """The attaché network on a date: lines from sending to host capitals."""
    return render(request, "engagements/attache_network.html", {"on": request.GET.get("on", "")})
