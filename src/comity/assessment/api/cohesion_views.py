"""Political-cohesion API: the Allies' agreement in UN General Assembly votes in one year."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from comity.assessment.api.cohesion_serializers import CohesionQuerySerializer, CohesionSerializer, cohesion_answer
from comity.assessment.cohesion_selectors import cohesion_table
from comity.core.api.params import checked_query


class CohesionView(APIView):
    """Agreement and Cohen's kappa among the Allies, and with the compared states, in one year."""

    @extend_schema(parameters=[CohesionQuerySerializer], responses=CohesionSerializer)
    def get(self, request: Request) -> Response:
        query = checked_query(CohesionQuerySerializer, request.query_params)
        return Response(cohesion_answer(cohesion_table(query["year"], query["others"])))
