"""Reads of saved plans: the records the planners wrote, starting from ``visible_to(user)``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from comity.core.banner import LABEL_PREFETCH, LABEL_SELECT
from comity.engagements.choices import EngagementKind
from comity.engagements.models import Engagement
from comity.planning.services import CALENDAR_PLAN_SOURCE, PLAN_KEY_START, PLAN_SOURCE, plan_prefix

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from comity.core.models import User


def saved_plan_records(user: User | AnonymousUser, *, name: str = "") -> QuerySet[Engagement]:
    """The saved plans' records the user may see, by start: the rotation planner's posture records
    and the calendar planner's exercises; ``name`` keeps one plan's."""
    queryset = Engagement.objects.visible_to(user).filter(
        Q(kind=EngagementKind.POSTURE, source=PLAN_SOURCE)
        | Q(kind=EngagementKind.EXERCISE, source=CALENDAR_PLAN_SOURCE),
        key__startswith=plan_prefix(name) if name else PLAN_KEY_START,
    )
    return queryset.select_related(*LABEL_SELECT).prefetch_related(*LABEL_PREFETCH).order_by("start_date", "key")
