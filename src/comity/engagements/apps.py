"""App configuration for ``comity.engagements``; its setup and demo steps are described in ``core.steps``."""

from django.apps import AppConfig

from comity.core.steps import Say


class EngagementsConfig(AppConfig):
    name = "comity.engagements"
    label = "engagements"
    verbose_name = "engagements"
    #: Records files may be attached to (``core.attachments.registry``); every kind of engagement
    #: is an ``Engagement``.
    attachable_models = ("engagements.Engagement", "engagements.PartnerProgramme")

    def load_shipped_data(self, *, say: Say, warn: Say) -> None:
        """The root objectives and the shipped exercises and posture records; bad rows are named."""
        from comity.engagements.loading import engagements_load

        report = engagements_load()
        say(
            f"Engagements: imported {report.imported}, updated {report.updated}, "
            f"unchanged {report.unchanged}, rejected {len(report.rejects)}"
        )
        for reject in report.rejects:
            warn(f"  exercises.csv line {reject.line}: {reject.reason}")

    def demo_step(self) -> None:
        """Labelled demo exercises and a demo partnership programme."""
        from comity.engagements.demo import demo_engagements_load

        demo_engagements_load()
