"""App configuration for ``comity.comms``: its demo step (``core.steps``) and desk panel (``core.desk``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from comity.core.desk import Panel


class CommsConfig(AppConfig):
    name = "comity.comms"
    label = "comms"
    verbose_name = "comms"

    def demo_step(self) -> str | None:
        """A conversation between the Netherlands analyst and the Finnish attaché."""
        from comity.comms.demo import demo_comms_load

        return demo_comms_load()

    def desk_panels(self) -> list[Panel]:
        """Unread messages, newest first (read through the same selector as the badge); they
        inform, so they are not on the Needs attention page."""
        from django.urls import reverse

        from comity.comms import selectors
        from comity.core.desk import Panel

        return [
            Panel(
                key="messages",
                title="Unread messages",
                items=selectors.desk_unread,
                empty="No unread message.",
                needs_attention=False,
                more_url=reverse("comms:inbox"),
            )
        ]
