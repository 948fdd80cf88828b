"""App configuration for ``comity.assessment``."""

from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "comity.assessment"
    label = "assessment"
    verbose_name = "assessment"
