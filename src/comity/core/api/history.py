"""``GET .../{id}/history/`` on every labelled record's API: its change log, as its page shows it."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from comity.core.api.serializers import AuditEntrySerializer
from comity.core.banner import LABEL_PREFETCH, LABEL_SELECT
from comity.core.selectors import audit_history


class HistoryMixin:
    """A view-set mixin: the record is fetched as its detail is (404 when hidden or missing), then
    the change-log entries of it and of its parent tables that the caller may read, oldest first
    (``core.selectors.audit_history``: by content type and id, so no other table's record with the
    same id shows, and each entry under its own label)."""

    # The view set's list filters do not apply to a history (the schema named them: schemathesis).
    @extend_schema(responses=AuditEntrySerializer(many=True), filters=False)
    @action(detail=True, methods=["get"])
    def history(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()  # type: ignore[attr-defined]
        entries = (
            audit_history(request.user, record)
            .select_related("content_type", *LABEL_SELECT)
            .prefetch_related(*LABEL_PREFETCH)
            .order_by("time", "pk")
        )
        page = self.paginate_queryset(entries)  # type: ignore[attr-defined]
        if page is not None:
            return self.get_paginated_response(AuditEntrySerializer(page, many=True).data)  # type: ignore[attr-defined]
        return Response(AuditEntrySerializer(entries, many=True).data)
