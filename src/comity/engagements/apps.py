"""App configuration for ``comity.engagements``; its setup and demo steps are described in
``core.steps``, its desk panels in ``core.desk``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

from comity.core.steps import Say

if TYPE_CHECKING:
    from comity.core.desk import Panel


class EngagementsConfig(AppConfig):
    name = "comity.engagements"
    label = "engagements"
    verbose_name = "engagements"
    #: Records files may be attached to (``core.attachments.registry``); every kind of engagement
    #: is an ``Engagement``.
    attachable_models = ("engagements.Engagement", "engagements.PartnerProgramme")

    def load_shipped_data(self, *, say: Say, warn: Say) -> None:
        """The root objectives and the shipped exercises and posture records; bad rows are named."""
        from comity.engagements.loading import engagements_load

        report = engagements_load()
        say(
            f"Engagements: imported {report.imported}, updated {report.updated}, "
            f"unchanged {report.unchanged}, rejected {len(report.rejects)}"
        )
        for reject in report.rejects:
            warn(f"  exercises.csv line {reject.line}: {reject.reason}")

    def demo_step(self) -> None:
        """Labelled demo exercises and a demo partnership programme."""
        from comity.engagements.demo import demo_engagements_load

        demo_engagements_load()

    def desk_panels(self) -> list[Panel]:
        """Records the calendar has overtaken, steps waiting for the user, after-action reports
        due, Vienna Document notifications falling due.

        Another panel is one more ``Panel`` here whose ``items`` is a selector ``(user, limit) ->
        list[DeskItem]`` in ``engagements/selectors.py``, like ``desk_vienna``; nothing else changes.
        """
        from django.urls import reverse

        from comity.core.desk import Panel
        from comity.engagements import selectors

        return [
            Panel(
                key="attention",
                title="Your records that need attention",
                items=selectors.desk_attention,
                empty="None of your scopes' records is behind the calendar.",
            ),
            Panel(
                key="approvals",
                title="Waiting for you",
                items=selectors.desk_approvals,
                empty="Nothing waits for your approval or your nation's registration.",
            ),
            Panel(
                key="reports",
                title="After-action reports due",
                items=selectors.desk_reports_due,
                empty="Every completed record of your scopes has its after-action report.",
            ),
            Panel(
                key="vienna",
                title="Vienna Document notifications falling due",
                items=selectors.desk_vienna,
                empty="No notifiable exercise of yours lies ahead.",
                more_url=reverse("engagements:vienna"),
            ),
        ]
