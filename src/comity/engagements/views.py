"""Engagement pages: list, month calendar, multi-year timeline, detail with lifecycle, the Vienna
Document deadline list and a country's engagement profile. All of them read through
``visible_to``.
"""

from __future__ import annotations

import calendar as calendar_module
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from comity.core.authority import WriteAction
from comity.core.permissions import write_decision
from comity.core.selectors import access_or_404, audit_history
from comity.engagements import reports, selectors, services
from comity.engagements.api.serializers import NetworkParams, network_params
from comity.engagements.calendar_grid import busy_days, month_weeks, week_rows
from comity.engagements.choices import EngagementKind, Status
from comity.engagements.filtersets import EngagementFilter
from comity.engagements.forms import creatable_kinds, may_edit
from comity.engagements.kinds import kind_fields
from comity.engagements.lifecycle import TransitionError
from comity.engagements.models import AfterActionReport, Engagement, Objective
from comity.engagements.page_params import (
    CALENDAR_YEARS,
    NETWORK_LAYOUTS,
    MonthForm,
    NetworkLayoutForm,
    TimelineForm,
)
from comity.engagements.spans import covered
from comity.registry.models import State

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from comity.core.models import User


def _filtered(request: HttpRequest) -> EngagementFilter:
    return EngagementFilter(request.GET, queryset=selectors.engagements_visible(request.user), request=request)


@require_safe
def engagement_list(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    page = Paginator(filterset.qs.order_by("-start_date", "title"), 50).get_page(request.GET.get("page"))
    page.object_list = selectors.with_names_as_of(page.object_list)  # the lead named as on each date
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
    for engagement in selectors.with_names_as_of(
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


#: The engagement list's filters that the calendar applies and carries from month to month (its
#: own ``year`` and ``month`` are the calendar's, not the list's "running in this year").
CALENDAR_FILTERS = ("nation", "kind", "status", "objective", "q")
#: How many records a month of the year view names before "and N more".
YEAR_VIEW_NAMES = 6


@require_safe
def month_calendar(request: HttpRequest) -> HttpResponse:
    """A month week by week, or a whole year as twelve small months (``view=year``).

    With no month asked it opens on the month with records nearest today (within ``year`` when
    one is given): shipped records are historical, so today's month is mostly empty. A bad
    parameter is a 400 page naming it.
    """
    today = timezone.localdate()
    form = MonthForm(request.GET)
    carry = {name: request.GET[name] for name in CALENDAR_FILTERS if request.GET.get(name)}
    filterset = EngagementFilter(carry, queryset=selectors.engagements_visible(request.user), request=request)
    context: dict[str, object] = {"form": form, "filter": filterset, "today": today, "kinds": EngagementKind.choices}
    objectives = list(Objective.objects.visible_to(request.user))
    context["objectives"] = objectives
    if not form.is_valid() or not filterset.is_valid():
        return render(request, "engagements/calendar.html", {**context, "weeks": []}, status=400)
    records, view = filterset.qs, form.cleaned_data["view"]
    year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    nearest = None
    if month is None or (view == "year" and year is None):
        nearest = _nearest_month(records, today, year)
        year, month = year or nearest.year, month or nearest.month
    low, high = CALENDAR_YEARS
    # An objective code that is hidden or unknown filters out every record (as on the list) but is
    # not written back into the links: the page answers the same for both, naming neither.
    codes = {objective.code for objective in objectives}
    carried = {name: value for name, value in carry.items() if name != "objective" or value in codes}

    def link(**params: object) -> str:
        return "?" + urlencode({**carried, **params})

    context.update({"link_year": link(view="year", year=year), "link_nearest": link()})
    if view == "year":
        context.update(_year_context(records, year, link))
        context["previous"] = (year - 1, link(view="year", year=year - 1)) if year > low else None
        context["next"] = (year + 1, link(view="year", year=year + 1)) if year < high else None
        return render(request, "engagements/calendar_year.html", context)
    month_start = date(year, month, 1)
    weeks = month_weeks(year, month)
    items = _spans(selectors.running_between(records, weeks[0][0], weeks[-1][-1]))
    previous_month = date(year - (month == 1), 12 if month == 1 else month - 1, 1)
    next_month = date(year + (month == 12), 1 if month == 12 else month + 1, 1)
    context.update(
        {
            "weeks": week_rows(weeks, items),
            "month_start": month_start,
            "nearest": form.cleaned_data["year"] is None and nearest is not None,
            "kinds_shown": sorted({e.kind for e, _start, _end in items}),
            "previous": (previous_month, link(year=previous_month.year, month=previous_month.month))
            if previous_month.year >= low
            else None,
            "next": (next_month, link(year=next_month.year, month=next_month.month))
            if next_month.year <= high
            else None,
            "link_today": link(year=today.year, month=today.month),
        }
    )
    return render(request, "engagements/calendar.html", context)


def _nearest_month(records: QuerySet[Engagement], today: date, year: int | None) -> date:
    """The first of the month, within ``year`` when given, with records nearest today; the
    month of today (or of ``year`` nearest today) when there are none."""
    anchor = today
    if year is not None:
        anchor = min(max(today, date(year, 1, 1)), date(year, 12, 31))
        records = selectors.running_between(records, date(year, 1, 1), date(year, 12, 31))
    day = selectors.nearest_record_day(records, anchor) or anchor
    if not CALENDAR_YEARS[0] <= day.year <= CALENDAR_YEARS[1]:
        day = anchor
    return day.replace(day=1)


def _spans(records: QuerySet[Engagement]) -> list[tuple[Engagement, date, date]]:
    """Each record with the first and last day it covers (``engagements.spans``): a record with no
    end date runs on its start day, a month-precision one over its whole months; its lead named
    as on its date."""
    dated = records.filter(start_date__isnull=False).order_by("start_date", "title")
    return [(e, *covered(e)) for e in selectors.with_names_as_of(dated)]


def _year_context(records: QuerySet[Engagement], year: int, link: Callable[..., str]) -> dict[str, object]:
    """Twelve small months of ``year``: each day shaded by how many records run on it, and the
    records of each month by start date."""
    items = _spans(selectors.running_between(records, date(year, 1, 1), date(year, 12, 31)))
    months = []
    for month in range(1, 13):
        first = date(year, month, 1)
        last = date(year, month, calendar_module.monthrange(year, month)[1])
        counts = busy_days(items, first, last)
        running = [(e, start, end) for e, start, end in items if start <= last and end >= first]
        months.append(
            {
                "start": first,
                "link": link(year=year, month=month),
                "weeks": [
                    [(day, min(counts.get(day, 0), 4) if day.month == month else None) for day in week]
                    for week in month_weeks(year, month)
                ],
                "records": running[:YEAR_VIEW_NAMES],
                "count": len(running),
                "more": max(len(running) - YEAR_VIEW_NAMES, 0),
            }
        )
    return {"months": months, "year": year, "total": len(items)}


@require_safe
def exercise_detail(request: HttpRequest, key: str) -> HttpResponse:
    exercise = access_or_404(selectors.exercises_visible(request.user), request.user, key=key)
    selectors.with_names_as_of([exercise])
    history = audit_history(request.user, exercise)
    return render(
        request,
        "engagements/detail.html",
        {
            "exercise": exercise,
            "history": history,
            "next_states": services.moves_allowed(request.user, exercise),
            "may_edit": may_edit(request.user, exercise),
            **report_section(request.user, exercise),
        },
    )


def report_section(user: User | AnonymousUser, engagement: Engagement) -> dict[str, Any]:
    """What an engagement's page shows of its report: the report when the reader may see it, the
    link to write one when they may, and the move to assessed when it is allowed now."""
    report = selectors.report_of(user, engagement)
    may_write = (
        report is None
        and engagement.status in reports.REPORTABLE
        and bool(write_decision(user, WriteAction.CREATE, None, engagement.owner))
    )
    editable = AfterActionReport.objects.editable_by(user).filter(pk=report.pk) if report is not None else None
    return {
        "report": report,
        "may_write_report": may_write,
        "may_edit_report": editable is not None and editable.exists(),
        "may_assess": Status.ASSESSED in services.moves_allowed(user, engagement),
    }


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
            **report_section(request.user, record),
        },
    )


def _display(record: Engagement, name: str) -> object:
    """A kind field as the page shows it: a state by its name on the record's date and its code."""
    if name in record.names_as_of:
        state = getattr(record, name)
        return f"{record.names_as_of[name]} ({state.iso3})" if state is not None else None
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
    rows = selectors.nation_engagements(request.user, state)
    by_year: dict[int, int] = {}
    for engagement, _name in rows:
        if engagement.start_date:
            by_year[engagement.start_date.year] = by_year.get(engagement.start_date.year, 0) + 1
    return render(
        request,
        "engagements/country.html",
        {"state": state, "rows": rows, "by_year": sorted(by_year.items())},
    )


#: The heaviest links the network page draws when opened without a query: all 924 links of the
#: shipped records are a hairball; the 80 heaviest show the core (the form says so and can clear it).
NETWORK_DEFAULT_TOP = 80
#: How the network page names its parameters in an error.
NETWORK_FIELDS = {
    "year": "Year",
    "start": "From",
    "end": "To",
    "kind": "Kind",
    "objective": "Objective",
    "min_weight": "Shared at least",
    "top": "Heaviest links",
    "layout": "Layout",
}


@require_safe
def network(request: HttpRequest) -> HttpResponse:
    """Who trains with whom: the vendored Cytoscape.js draws the API's graph; beside it, the same
    links as a table (rendered here from the same selector, so the two always agree).

    The filters are the API's (``NetworkParams``); ``layout`` is the page's own. A bad one is a
    400 page naming it.
    """
    query = request.GET or QueryDict(f"top={NETWORK_DEFAULT_TOP}")
    params = network_params(query, request.user)
    layout = NetworkLayoutForm(query)
    context: dict[str, object] = {
        "kinds": EngagementKind.choices,
        "objectives": Objective.objects.visible_to(request.user),
        "layouts": NETWORK_LAYOUTS,
        "values": _network_form_values(query),
    }
    if not (params.is_valid() & layout.is_valid()):
        errors = [
            (NETWORK_FIELDS.get(name, "Filters"), message)
            for name, messages in (*params.errors.items(), *layout.errors.items())
            for message in messages
        ]
        return render(request, "engagements/network.html", {**context, "errors": errors}, status=400)
    data = params.validated_data
    graph = selectors.co_participation(request.user, **data)
    names = {node["id"]: node["name"] for node in graph["nodes"]}
    pairs = sorted(graph["edges"], key=lambda edge: (-edge["weight"], edge["source"], edge["target"]))
    query = {
        "year": data.get("year"),
        "start": data.get("start"),
        "end": data.get("end"),
        "kind": data.get("kind"),
        "objective": data["objective"].code if data.get("objective") else None,
        "min_weight": data["min_weight"] if data["min_weight"] > 1 else None,
        "top": data.get("top"),
    }
    context.update(
        {
            "graph": graph,
            "pairs": [(edge, names[edge["source"]], names[edge["target"]]) for edge in pairs],
            "linked": sum(1 for node in graph["nodes"] if node["links"]),
            "api_query": urlencode({name: value for name, value in query.items() if value is not None}),
            "layout": layout.cleaned_data["layout"],
        }
    )
    return render(request, "engagements/network.html", context)


def _network_form_values(query: QueryDict) -> dict[str, str]:
    """What the filter form shows: the query as given; a ``year`` (old links) as From and To."""
    values = {name: query.get(name, "") for name in NETWORK_FIELDS}
    if values["year"] and not (values["start"] or values["end"]):
        values["start"] = values["end"] = values["year"]
    return values


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
