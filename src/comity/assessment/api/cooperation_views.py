"""Cooperation-climate API: net cooperation between the Allies and others, from the event data."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from comity.assessment.api.cooperation_serializers import CooperationQuerySerializer, cooperation_answer
from comity.assessment.cooperation_selectors import cooperation_climate
from comity.core.api.params import checked_query
from comity.registry.selectors import names_on


class CooperationView(APIView):
    """Net cooperation per period among the Allies, with NATO's partnership frameworks and with named states."""

    @extend_schema(parameters=[CooperationQuerySerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        query = checked_query(CooperationQuerySerializer, request.query_params)
        names = names_on(query["others"], timezone.localdate())
        lines = cooperation_climate(request.user, query["others"], names, freq=query["freq"])
        return Response(cooperation_answer(lines, query["freq"]))
