"""The API's door to single records: a read of a classified record joins the change log.

DRF fetches a detail view's record with ``get_object``, which asks every permission class's
``has_object_permission`` about it; this class, in ``DEFAULT_PERMISSION_CLASSES``, is where the API
meets ``core.audit_reads.record_read`` once for every viewset, as the pages meet it in
``access_or_404``. It refuses nothing: whether the user may see the record was settled by the
queryset (``visible_to``) before the record was found.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from comity.core.audit_reads import record_read


class LogsReads(BasePermission):
    """Log the read of a record a safe request fetched (a write is logged as the write)."""

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method in SAFE_METHODS and isinstance(obj, Model):
            record_read(request.user, obj)
        return True
