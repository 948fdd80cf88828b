"""Event-data pages: the dyad explorer, the alliance view, the tension map and the alert list.

Charts and the map are drawn in the browser from the event API (``comity.events.api``); the
pages carry the query in data attributes. Every page badges the labels of the stored events the
user may see, so the banner covers whatever the charts show.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from comity.core.models import ConfidentialityLabel
from comity.events import analytics, forms, selectors

SERIES_DEFAULTS = {"source": "NATO", "target": "RUS", "freq": "month"}
ALLIANCE_DEFAULTS = {"group": "NATO", "state": "RUS", "freq": "month"}
ALERT_DEFAULTS = {"freq": "week"}


def _data(request: HttpRequest, defaults: dict[str, str]) -> dict[str, Any]:
    """The query, or the defaults when the page is opened without one."""
    return request.GET if request.GET else defaults


def _context(request: HttpRequest) -> dict[str, Any]:
    """What every event page shows: the labels of the visible events, and the party choices."""
    from comity.registry.models import State

    summary = selectors.store_summary(request.user)
    labels = {label.pk: label for label in ConfidentialityLabel.objects.filter(pk__in=[s["label_id"] for s in summary])}
    stored = [{**s, "label": labels[s["label_id"]]} for s in summary if s["label_id"] in labels]
    return {
        "stored": stored,
        "groups": sorted(selectors.group_codes()),
        "states": State.objects.order_by("name").values_list("iso3", "name"),
        "api": {
            "series": reverse("events-api:series"),
            "events": reverse("events-api:events"),
            "tension": reverse("events-api:tension"),
        },
    }


def _range(data: dict[str, Any]) -> dict[str, str]:
    return {
        "from": (data.get("from") or "") and data["from"].isoformat(),
        "to": (data.get("to") or "") and data["to"].isoformat(),
    }


@require_safe
def dyad(request: HttpRequest) -> HttpResponse:
    """Two nations or groups and a frequency: the series chart, the QuadClass mix, the events."""
    form = forms.SeriesForm(_data(request, SERIES_DEFAULTS))
    context = {"form": form, **_context(request)}
    if form.is_valid():
        data = form.cleaned_data
        context["query"] = {
            "dyads": f"{data['source']}:{data['target']}",
            "freq": data["freq"],
            "root_only": "true" if data["root_only"] else "",
            **_range(data),
        }
        context["not_states"] = _not_states(data["source"], data["target"], context)
    return render(request, "events/dyad.html", context, status=200 if form.is_valid() else 400)


def _not_states(source: str, target: str, context: dict[str, Any]) -> list[str]:
    """The chosen codes that are neither a state of the registry nor a group: CAMEO also codes
    regions and other actors (``AFR``), whose series must not read as a country's."""
    known = {iso3 for iso3, _ in context["states"]} | set(context["groups"])
    return [code for code in dict.fromkeys((source, target)) if code not in known]


@require_safe
def alliance(request: HttpRequest) -> HttpResponse:
    """A group's members (as of each event's date) against one state, both directions."""
    form = forms.AlliancePartyForm(_data(request, ALLIANCE_DEFAULTS))
    context = {"form": form, **_context(request)}
    if form.is_valid():
        group, state = form.cleaned_data["group"], form.cleaned_data["state"]
        context["query"] = {"dyads": f"{group}:{state},{state}:{group}", "freq": form.cleaned_data["freq"]}
    return render(request, "events/alliance.html", context, status=200 if form.is_valid() else 400)


@require_safe
def tension(request: HttpRequest) -> HttpResponse:
    """The world map coloured by conflict intensity in one period (default: the latest month)."""
    context = _context(request)
    data = dict(request.GET.items())
    if not data.get("period"):
        last = max((s["last"] for s in context["stored"]), default=None)
        data["period"] = analytics.format_period(last, "month") if last else ""
    form = forms.TensionForm(data if data["period"] else None)  # nothing stored: an empty form
    context["form"] = form
    if form.is_bound and form.is_valid():
        context["query"] = {"period": data["period"].strip(), "by": form.cleaned_data.get("by") or "actor"}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "events/tension.html", context, status=status)


@require_safe
def alerts(request: HttpRequest) -> HttpResponse:
    """The tension alerts over the events the user may see, highest z first."""
    form = forms.AlertsForm(_data(request, ALERT_DEFAULTS))
    context = {"form": form, **_context(request)}
    status = 400
    if form.is_valid():
        try:
            freq, rule, alerts = form.alerts(request.user)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            context.update(freq=freq, rule=rule, alerts=alerts)
            status = 200
    return render(request, "events/alerts.html", context, status=status)
