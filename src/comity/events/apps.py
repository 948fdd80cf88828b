"""App configuration for ``comity.events``."""

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "comity.events"
    label = "events"
    verbose_name = "event data"
