"""Query parameters shared by the apps' APIs, checked once, with a 400 that names the problem."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from rest_framework.exceptions import ValidationError


def on_date(raw: str | None) -> date:
    """An ``on`` query parameter (time travel) as a date: today when absent, else a 400."""
    if not raw:
        return timezone.localdate()
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError({"on": f"{raw!r} is not a date (YYYY-MM-DD)"}) from exc
