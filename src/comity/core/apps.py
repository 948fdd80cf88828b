"""App configuration for ``comity.core``."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "comity.core"
    label = "core"
    verbose_name = "comity core"

    def ready(self) -> None:
        # Connects the login hook that remembers session keys (see core.sessions).
        from comity.core import sessions  # noqa: F401
