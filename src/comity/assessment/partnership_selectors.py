"""Partnership depth from the partner programmes: how many activities each partner's programme
holds, how far through NATO's PRIME steps they have come, and how many offered courses and
objectives they reach, computed from the programmes and activities the viewer may see.

``depth`` per programme (partner and cycle): activities by workflow step, ``completed`` (feedback
reported, the last step), the completion share (completed / all), and the distinct menu items
and objectives the activities serve. A programme without activities has no completion share.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from comity.core.models import User
from comity.engagements.choices import Workflow
from comity.engagements.models import PartnerProgramme, ProgrammeActivity


@dataclass(frozen=True)
class ProgrammeDepth:
    programme_id: int
    partner: str
    partner_name: str
    cycle: str
    activities: int
    by_step: dict[str, int]
    completed: int
    completion: float | None
    menu_items: int
    objectives: int


def programmes_counted(user: User | AnonymousUser) -> tuple[QuerySet[PartnerProgramme], QuerySet[ProgrammeActivity]]:
    """The programmes the user may see, and their activities the user may see."""
    programmes = PartnerProgramme.objects.visible_to(user)
    return programmes, ProgrammeActivity.objects.visible_to(user).filter(programme__in=programmes.values("pk"))


def partnership_depth(user: User | AnonymousUser) -> list[ProgrammeDepth]:
    visible, activities = programmes_counted(user)
    programmes = visible.select_related("partner").order_by("partner__name", "cycle")
    steps: dict[int, Counter[str]] = {}
    menu: dict[int, set[int]] = {}
    for programme_id, workflow, item in activities.values_list("programme_id", "workflow", "menu_item_id"):
        steps.setdefault(programme_id, Counter())[workflow] += 1
        menu.setdefault(programme_id, set()).add(item)
    objectives: dict[int, set[int]] = {}
    for programme_id, objective in activities.filter(objectives__isnull=False).values_list(
        "programme_id", "objectives"
    ):
        objectives.setdefault(programme_id, set()).add(objective)
    result = []
    for programme in programmes:
        counts = steps.get(programme.pk, Counter())
        total = sum(counts.values())
        completed = counts[Workflow.REPORTED]
        result.append(
            ProgrammeDepth(
                programme.pk,
                programme.partner.iso3,
                programme.partner.name,
                programme.cycle,
                total,
                {step.value: counts[step.value] for step in Workflow},
                completed,
                completed / total if total else None,
                len(menu.get(programme.pk, ())),
                len(objectives.get(programme.pk, ())),
            )
        )
    return result
