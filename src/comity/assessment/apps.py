"""App configuration for ``comity.assessment``."""

from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "comity.assessment"
    label = "assessment"
    verbose_name = "assessment"

    def demo_step(self) -> str:
        """Demo objectives with indicators and measurements (real NATO figures and illustrative ones)."""
        from comity.assessment.demo import demo_objectives_load

        return demo_objectives_load()
