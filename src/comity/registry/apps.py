"""App configuration for ``comity.registry``; its setup and demo steps are described in ``core.steps``."""

from django.apps import AppConfig

from comity.core.steps import Say


class RegistryConfig(AppConfig):
    name = "comity.registry"
    label = "registry"
    verbose_name = "registry"

    def load_shipped_data(self, *, say: Say, warn: Say) -> None:
        """States, organisations, memberships and partnerships; a bad file stops setup whole."""
        from django.core.management.base import CommandError

        from comity.registry.loader import DataFileError
        from comity.registry.services import registry_load

        try:
            report = registry_load(acting_user=None)
        except DataFileError as exc:
            raise CommandError(str(exc)) from exc
        for model, counts in report.counts.items():
            say(f"{model}: {', '.join(f'{k} {v}' for k, v in counts.items())}")

    def demo_step(self) -> None:
        """Labelled demo country notes, each readable by a different set of demo users."""
        from comity.registry.demo import demo_notes_load

        demo_notes_load()
