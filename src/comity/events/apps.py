"""App configuration for ``comity.events``; its demo step is described in ``core.steps``, its
desk panel in ``core.desk``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from comity.core.desk import Panel


class EventsConfig(AppConfig):
    name = "comity.events"
    label = "events"
    verbose_name = "event data"

    def demo_step(self) -> str:
        """The shipped real event samples, one of them under a NATO label."""
        from comity.events.demo import demo_events

        return demo_events()

    def desk_panels(self) -> list[Panel]:
        """The latest tension alerts in which a nation the user follows is a party."""
        from django.urls import reverse

        from comity.core.desk import Panel
        from comity.events.selectors import desk_alerts

        return [
            Panel(
                key="alerts",
                title="Tension alerts for the nations you follow",
                items=desk_alerts,
                empty="No tension alert involves your nation or its groups.",
                needs_attention=False,
                more_url=reverse("events:alerts"),
            )
        ]
