"""App configuration for ``comity.core``; its setup and demo steps are described in ``core.steps``."""

from django.apps import AppConfig

from comity.core.steps import Say


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
