"""Limit/offset pagination whose parameters are checked: a 400 naming the field, never a 500.

Why: DRF's ``LimitOffsetPagination`` passes any integer on to the query, and a 25-digit
``limit`` or ``offset`` overflows the database's 64-bit ``LIMIT``/``OFFSET`` (a 500), while a
word silently falls back to the default. Here both are DRF integer fields with a range, which
the OpenAPI schema states too.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

#: The most rows one page may ask for.
MAX_LIMIT = 1000
#: The furthest a page may start (PostgreSQL's ``integer`` range; no list here is longer).
MAX_OFFSET = 2**31 - 1


class PageParams(serializers.Serializer):
    """The page parameters; views that paginate by hand list this serializer in their schema."""

    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT, help_text="rows per page")
    offset = serializers.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, help_text="rows to skip")


class CheckedLimitOffsetPagination(LimitOffsetPagination):
    """``limit`` (1 to ``MAX_LIMIT``) and ``offset`` (0 to ``MAX_OFFSET``), each optional."""

    max_limit = MAX_LIMIT

    def _checked(self, request: Request, name: str) -> int | None:
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return None
        try:
            return PageParams().fields[name].run_validation(raw)
        except ValidationError as exc:
            raise ValidationError({name: exc.detail}) from exc

    def get_limit(self, request: Request) -> int | None:
        limit = self._checked(request, "limit")
        return self.default_limit if limit is None else limit

    def get_offset(self, request: Request) -> int:
        return self._checked(request, "offset") or 0

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            field = PageParams().fields[parameter["name"]]
            parameter["schema"] = {**parameter["schema"], "minimum": field.min_value, "maximum": field.max_value}
        return parameters
