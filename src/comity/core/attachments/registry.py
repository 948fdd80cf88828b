"""Which records files may be attached to: each app says so on its ``AppConfig``.

``core`` imports no domain app, so it cannot list their models. An app that wants attachments
on its records sets ``attachable_models`` on its ``AppConfig`` to model labels::

    attachable_models = ("engagements.Engagement", "engagements.PartnerProgramme")

Discovered like ``core.steps``' loaders, by iterating the installed apps. Each model must be a
``LabelledModel`` (an attachment is never read by anyone who may not read its record); a model's
subclasses (the kinds of engagement) are attachable with it. Files are addressed by the base
table's content type, so an exercise's attachments are those of its engagement row.
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model

from comity.core.models import LabelledModel

#: The ``AppConfig`` attribute an app declares its attachable models in.
ATTRIBUTE = "attachable_models"


@cache
def attachable_models() -> tuple[type[LabelledModel], ...]:
    """The base models whose records may carry attachments, in ``INSTALLED_APPS`` order."""
    found: list[type[LabelledModel]] = []
    for config in apps.get_app_configs():
        for name in getattr(config, ATTRIBUTE, ()):
            model = apps.get_model(name)
            if not issubclass(model, LabelledModel):
                raise ImproperlyConfigured(f"{name} is not a labelled model, so nothing may be attached to it")
            found.append(base_model(model))  # type: ignore[arg-type]
    return tuple(dict.fromkeys(found))


def base_model(model: type[Model]) -> type[Model]:
    """The table a record's label and owner live in: the farthest concrete parent (or the model)."""
    parents = model._meta.concrete_model._meta.get_parent_list()
    return parents[-1] if parents else model._meta.concrete_model


def attachable_base(model: type[Model]) -> type[LabelledModel] | None:
    """The attachable base model ``model`` is or descends from; None when files may not go on it."""
    base = base_model(model)
    return base if base in attachable_models() else None  # type: ignore[return-value]


def record_type(record: Model) -> ContentType:
    """The content type an attachment of ``record`` is filed under (its base table's)."""
    return ContentType.objects.get_for_model(base_model(type(record)))
