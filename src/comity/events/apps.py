"""App configuration for ``comity.events``; its demo step is described in ``core.steps``."""

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "comity.events"
    label = "events"
    verbose_name = "event data"

    def demo_step(self) -> str:
        """The shipped real event samples, one of them under a NATO label."""
        from comity.events.demo import demo_events

        return demo_events()
