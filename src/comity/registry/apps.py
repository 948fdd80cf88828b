"""App configuration for ``comity.registry``."""

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "comity.registry"
    label = "registry"
    verbose_name = "registry"
