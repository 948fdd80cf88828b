"""Interoperability API: co-participation in the engagements the requester may see, by year."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from comity.assessment.api.interoperability_serializers import (
    InteroperabilityQuerySerializer,
    InteroperabilitySerializer,
    interoperability_answer,
)
from comity.assessment.interoperability_selectors import interoperability_reading
from comity.core.api.params import checked_query


class InteroperabilityView(APIView):
    """Each year's multinational engagements, ally density and partners with Allies; one year's nations."""

    @extend_schema(parameters=[InteroperabilityQuerySerializer], responses=InteroperabilitySerializer)
    def get(self, request: Request) -> Response:
        query = checked_query(InteroperabilityQuerySerializer, request.query_params)
        return Response(interoperability_answer(interoperability_reading(request.user, query.get("year"))))
