"""App configuration for ``comity.planning``."""

from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "comity.planning"
    label = "planning"
    verbose_name = "planning"
