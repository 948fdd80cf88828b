"""Query parameters shared by the apps' APIs, checked once, with a 400 that names the problem."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from rest_framework import serializers
from rest_framework.exceptions import ValidationError


def on_date(raw: str | None) -> date:
    """An ``on`` query parameter (time travel) as a date: today when absent, else a 400."""
    if not raw:
        return timezone.localdate()
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError({"on": f"{raw!r} is not a date (YYYY-MM-DD)"}) from exc


def checked_query(serializer_class: type[serializers.Serializer], query: QueryDict) -> dict[str, Any]:
    """Query parameters checked by ``serializer_class`` (which also states them in the schema).

    An empty value counts as absent, as a form's empty field does; a bad one is a 400 naming it.
    """
    serializer = serializer_class(data={key: value for key, value in query.items() if value != ""})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
