"""Interoperability API: co-participation in the engagements the requester may see, by year."""

from __future__ import annotations

from datetime import date

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from comity.assessment.api.interoperability_serializers import (
    InteroperabilityQuerySerializer,
    InteroperabilitySerializer,
    interoperability_answer,
)
from comity.assessment.interoperability_selectors import interoperability_series
from comity.core.api.params import checked_query
from comity.registry.selectors import names_on


class InteroperabilityView(APIView):
    """Each year's multinational engagements, ally density and partners with Allies; one year's nations."""

    @extend_schema(parameters=[InteroperabilityQuerySerializer], responses=InteroperabilitySerializer)
    def get(self, request: Request) -> Response:
        query = checked_query(InteroperabilityQuerySerializer, request.query_params)
        series = interoperability_series(request.user)
        year = query.get("year") or (series[-1].year if series else None)
        chosen = next((network for network in series if network.year == year), None)
        names = names_on([n.iso3 for n in chosen.nations], date(year, 12, 31)) if chosen and year else {}
        return Response(interoperability_answer(series, year, names))
