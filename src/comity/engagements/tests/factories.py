"""Builders for partnership-programme tests (test inputs, not shipped records)."""

from __future__ import annotations

from comity.core.labels import label_from_marking
from comity.engagements.models import MenuItem, PartnerProgramme
from comity.registry.models import State


def make_menu_item(code: str = "test-course", title: str = "Test course", marking: str = "PUBLIC") -> MenuItem:
    return MenuItem.objects.create(
        code=code, title=title, provider="Test provider", label=label_from_marking(marking), owner="NATO"
    )


def make_programme(
    partner: str = "UKR", cycle: str = "2027", marking: str = "PUBLIC", title: str = ""
) -> PartnerProgramme:
    return PartnerProgramme.objects.create(
        partner=State.objects.get(iso3=partner),
        cycle=cycle,
        title=title or f"Test programme {partner} {cycle}",
        label=label_from_marking(marking),
        owner="NATO",
    )
