"""Event-data API: dyadic series, the events behind one point, tension alerts, tension per country.

Every answer runs on DuckDB over the event store with the caller's visible label ids inside the
engine query (``comity.events.selectors``); parameters are checked by ``comity.events.forms``
and a bad one is a 400 naming the field.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms as django_forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from comity.core.api.pagination import CheckedLimitOffsetPagination, PageParams
from comity.core.models import ConfidentialityLabel
from comity.events import forms, selectors

PARTY = "A nation (ISO3, or a CAMEO country code) or a group: NATO, EU, PFP, MD, ICI, PATG"
RANGE = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="first day (inclusive)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="last day (inclusive)"),
]
DYAD = [
    OpenApiParameter("source", OpenApiTypes.STR, required=True, description=PARTY),
    OpenApiParameter("target", OpenApiTypes.STR, required=True, description=PARTY),
]
ROOT_ONLY = OpenApiParameter("root_only", OpenApiTypes.BOOL, description="GDELT root events only")


def checked(form_class: type[django_forms.Form], request: Request) -> dict[str, Any]:
    """The cleaned parameters, or a 400 with a message per bad field."""
    form = form_class(request.query_params)
    if not form.is_valid():
        raise ValidationError(forms.error_messages(form))
    return form.cleaned_data


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def markings(label_ids: set[int]) -> dict[int, str]:
    return dict(ConfidentialityLabel.objects.filter(pk__in=label_ids).values_list("pk", "marking"))


class SeriesView(APIView):
    """The directed series ``source -> target`` per period: the CLI's CSV columns as JSON rows."""

    @extend_schema(
        parameters=[
            *DYAD,
            OpenApiParameter("freq", OpenApiTypes.STR, enum=list(dict(forms.FREQ_CHOICES)), required=True),
            *RANGE,
            ROOT_ONLY,
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        data = checked(forms.SeriesForm, request)
        table = selectors.dyad_series(
            request.user,
            data["source"],
            data["target"],
            data["freq"],
            data["from"],
            data["to"],
            root_only=data["root_only"],
        )
        return Response(
            {
                "source": data["source"],
                "target": data["target"],
                "freq": data["freq"],
                "from": data["from"],
                "to": data["to"],
                "root_only": data["root_only"],
                "rows": table.to_pylist(),
            }
        )


class EventsView(APIView):
    """The events behind one point of a series (``period`` as the series labels it), paginated."""

    pagination_class = CheckedLimitOffsetPagination

    @extend_schema(
        parameters=[
            *DYAD,
            OpenApiParameter(
                "period", OpenApiTypes.STR, required=True, description="2012-01-03, 2012-W01, 2012-01, 2012-Q1 or 2012"
            ),
            *RANGE,
            ROOT_ONLY,
            PageParams,
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        data = checked(forms.EventsForm, request)
        events = selectors.dyad_events(
            request.user, data["source"], data["target"], data["start"], data["end"], root_only=data["root_only"]
        )
        paginator = self.pagination_class()
        rows = paginator.paginate_queryset(events, request, view=self) or []
        labels = markings({row["label_id"] for row in rows})
        results = [{**{k: _json(v) for k, v in row.items()}, "label": labels.get(row["label_id"], "")} for row in rows]
        response = paginator.get_paginated_response(results)
        response.data["period"] = data["period"]
        response.data["from"], response.data["to"] = data["start"], data["end"]
        return response


class AlertsView(APIView):
    """Periods whose conflict rose beyond the dyad's trailing baseline, highest z first."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "freq", OpenApiTypes.STR, enum=list(dict(forms.FREQ_CHOICES)), description="default month (as the CLI)"
            ),
            OpenApiParameter("metric", OpenApiTypes.STR, enum=["count", "share"]),
            OpenApiParameter("window", OpenApiTypes.INT),
            OpenApiParameter("z", OpenApiTypes.NUMBER),
            OpenApiParameter("min_std", OpenApiTypes.NUMBER),
            OpenApiParameter("min_conflict", OpenApiTypes.INT),
            OpenApiParameter("limit", OpenApiTypes.INT),
            OpenApiParameter("dyad", OpenApiTypes.STR, many=True, description="SOURCE:TARGET (repeatable)"),
            *RANGE,
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        form = forms.AlertsForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(forms.error_messages(form))
        try:
            freq, rule, alerts = form.alerts(request.user)
        except ValueError as exc:
            raise ValidationError({"non_field_errors": [str(exc)]}) from exc
        return Response({"freq": freq, "metric": rule.metric, "window": rule.window, "alerts": alerts})


class TensionView(APIView):
    """Conflict intensity per country in one period, with ISO numeric codes for the world map;
    ``is_state`` is false for the codes that name no state in the registry (CAMEO regions such as
    ``AFR``), which the map neither draws nor ranks."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period", OpenApiTypes.STR, required=True, description="2012-01-03, 2012-W01, 2012-01, 2012-Q1 or 2012"
            ),
            OpenApiParameter("by", OpenApiTypes.STR, enum=["actor", "location"]),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        from comity.registry.models import State

        data = checked(forms.TensionForm, request)
        freq, start, end = data["period"]
        by = data.get("by") or "actor"
        rows = selectors.country_tension(request.user, start, end, by=by).to_pylist()
        states = {
            s["iso3"]: s
            for s in State.objects.filter(iso3__in=[r["country"] for r in rows]).values("iso3", "iso_numeric", "name")
        }
        countries = [
            {
                **row,
                "iso_numeric": states.get(row["country"], {}).get("iso_numeric"),
                "name": states.get(row["country"], {}).get("name", row["country"]),
                # CAMEO also codes regions and blocs (AFR, EUR, WST): not states, so not ranked.
                "is_state": row["country"] in states,
            }
            for row in rows
        ]
        return Response(
            {
                "period": request.query_params["period"].strip(),
                "freq": freq,
                "from": start,
                "to": end,
                "by": by,
                "countries": countries,
            }
        )
