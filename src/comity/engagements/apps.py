"""App configuration for ``comity.engagements``."""

from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    name = "comity.engagements"
    label = "engagements"
    verbose_name = "engagements"
