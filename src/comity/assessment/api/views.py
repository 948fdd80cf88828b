"""Assessment API: the burden-sharing indicator for one year, every figure with its provenance."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from comity.assessment import selectors
from comity.assessment.api.serializers import BurdenQuerySerializer, BurdenSerializer, burden_answer
from comity.core.api.params import checked_query


class BurdenView(APIView):
    """Defence expenditure against the 2% and 20% guidelines, per Ally, in one year."""

    @extend_schema(parameters=[BurdenQuerySerializer], responses=BurdenSerializer)
    def get(self, request: Request) -> Response:
        query = checked_query(BurdenQuerySerializer, request.query_params)
        return Response(burden_answer(selectors.burden_table(query["year"])))
