"""App configuration for ``comity.core``; its setup and demo steps are described in ``core.steps``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

from comity.core.steps import Say

if TYPE_CHECKING:
    from comity.core.desk import Panel


class CoreConfig(AppConfig):
    name = "comity.core"
    label = "core"
    verbose_name = "comity core"

    def ready(self) -> None:
        # Connects the login hook that remembers session keys (see core.sessions).
        from comity.core import sessions  # noqa: F401

    def load_shipped_data(self, *, say: Say, warn: Say) -> None:
        """The security policies from the shipped SPIFs: every label depends on them."""
        from comity.core.services import policies_load

        say(f"security policies: {', '.join(policies_load(acting_user=None))}")

    def demo_step(self) -> None:
        """The demo users, whom the other apps' demo records are written by and shown to."""
        from comity.core.demo import demo_users_load

        demo_users_load()

    def desk_panels(self) -> list[Panel]:
        """Recent changes by others to the records of the user's scopes (``core.desk``)."""
        from comity.core.desk import Panel
        from comity.core.selectors import desk_changes

        return [
            Panel(
                key="changes",
                title="Recent changes to your records",
                items=desk_changes,
                empty="No one else has changed records of your scopes.",
                needs_attention=False,
            )
        ]
