"""Reads of the deterrence-posture indicators from the engagement records the viewer may see:
Baltic Air Policing coverage by year, and the enhanced Forward Presence battlegroups standing at
the end of each year.

The posture records are loaded from the shipped files (``engagements.posture``) with the keys
``bap-...`` and ``efp-battlegroup-...``; like every figure of the assessment pages, these are
computed from the records the viewer may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from comity.assessment.air_policing import DetachmentDates, YearCoverage, year_coverage
from comity.core.models import User
from comity.engagements.models import Engagement

#: The first day of Baltic Air Policing: Belgian F-16s at Šiauliai (the rotation-1 record's sources).
BAP_FIRST_DAY = date(2004, 3, 29)
BAP_PREFIX, EFP_PREFIX = "bap-", "efp-battlegroup-"


def posture_records(user: User | AnonymousUser) -> QuerySet[Engagement]:
    """The air-policing and battlegroup records the user may see: what the page's figures count."""
    visible = Engagement.objects.visible_to(user)
    return visible.filter(Q(key__startswith=BAP_PREFIX) | Q(key__startswith=EFP_PREFIX))


def air_policing_coverage(user: User | AnonymousUser) -> list[YearCoverage]:
    """Each year from the mission's start to this one, from the visible detachment records."""
    today = timezone.localdate()
    rows = Engagement.objects.visible_to(user).filter(key__startswith=BAP_PREFIX)
    detachments = [
        DetachmentDates(key, start, end, precision)
        for key, start, end, precision in rows.values_list("key", "start_date", "end_date", "date_precision")
    ]
    if not detachments:
        return []
    return [
        year_coverage(detachments, year, first_day=BAP_FIRST_DAY, last_day=today)
        for year in range(BAP_FIRST_DAY.year, today.year + 1)
    ]


@dataclass(frozen=True)
class Battlegroup:
    key: str
    title: str
    host: str
    framework: tuple[str, ...]
    contributors: tuple[str, ...]
    start: date | None
    precision: str


def battlegroups(user: User | AnonymousUser) -> list[Battlegroup]:
    """The visible eFP battlegroup records with their host, framework and contributing nations."""
    rows = (
        Engagement.objects.visible_to(user)
        .filter(key__startswith=EFP_PREFIX)
        .prefetch_related("participants__state")
        .order_by("start_date", "key")
    )
    result = []
    for record in rows:
        roles: dict[str, list[str]] = {}
        for participant in record.participants.all():
            roles.setdefault(participant.role, []).append(participant.state.iso3)
        result.append(
            Battlegroup(
                record.key,
                record.title,
                ", ".join(roles.get("host", [])),
                tuple(roles.get("lead", [])),
                tuple(sorted(roles.get("participant", []))),
                record.start_date,
                record.date_precision,
            )
        )
    return result


def battlegroups_by_year(groups: list[Battlegroup], first: int, last: int) -> list[tuple[int, int]]:
    """(year, battlegroups standing on 31 December) for each year; a battlegroup whose start the
    records do not give is counted in no year (it is listed, with "date not recorded")."""
    return [
        (year, sum(1 for g in groups if g.start is not None and g.start <= date(year, 12, 31)))
        for year in range(first, last + 1)
    ]
