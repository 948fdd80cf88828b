"""Scorecard API: the Allies' composite of one year, each rank with its range."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from comity.assessment.api.scorecard_serializers import ScorecardQuerySerializer, scorecard_answer
from comity.assessment.scorecard_selectors import scorecard_page
from comity.core.api.params import checked_query


class ScorecardView(APIView):
    """Composite scorecard after the OECD/JRC Handbook: no rank without its range."""

    @extend_schema(parameters=[ScorecardQuerySerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        query = checked_query(ScorecardQuerySerializer, request.query_params)
        page = scorecard_page(
            request.user,
            query["year"],
            weights=query.get("weights"),
            normalisation=query["normalisation"],
            aggregation=query["aggregation"],
        )
        return Response(scorecard_answer(page))
