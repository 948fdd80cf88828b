"""Reads of attachments. An attachment is read by who may read it **and** the record it is on:
a file on a hidden record is as absent as the record, whatever the file's own label says (the
record may have been relabelled above it since)."""

from __future__ import annotations

import re
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from comity.core.attachments.registry import attachable_base, attachable_models, base_model, record_type
from comity.core.banner import LABEL_PREFETCH, LABEL_SELECT
from comity.core.models import Attachment, LabelledModel

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from comity.core.models import User

#: A record named in a request: ``app_label.model:id``, e.g. ``engagements.engagement:42``.
REFERENCE = re.compile(r"(?P<app>[a-z][a-z0-9_]{0,99})\.(?P<model>[a-z][a-z0-9_]{0,99}):(?P<pk>[0-9]{1,18})")

#: The answer for a record or attachment that is missing or hidden: the same words for both.
MISSING = "No such record."


class BadReferenceError(ValueError):
    """A record reference that is not of the form ``app_label.model:id`` or names no attachable model."""


def records_visible_clause(user: User | AnonymousUser) -> Q:
    """SQL for "the attachment's record exists and the user may see it", one subquery per model."""
    clauses = [
        Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=model.objects.visible_to(user).values("pk"),  # type: ignore[attr-defined]
        )
        for model in attachable_models()
    ]
    return reduce(or_, clauses, Q(pk__in=[]))


def attachments_visible(user: User | AnonymousUser) -> QuerySet[Attachment]:
    """Attachments the user may read: their label and their record's, both decided in SQL."""
    return (
        Attachment.objects.visible_to(user)  # type: ignore[arg-type]
        .filter(records_visible_clause(user))
        .select_related("content_type", "uploaded_by", *LABEL_SELECT)
        .prefetch_related(*LABEL_PREFETCH)
    )


def attachments_of(user: User | AnonymousUser, record: Model) -> QuerySet[Attachment]:
    """The attachments of one record that the user may read (none when the record is hidden)."""
    return attachments_visible(user).filter(content_type=record_type(record), object_id=record.pk)


def attachment_or_404(user: User | AnonymousUser, pk: object) -> Attachment:
    """One attachment the user may read; missing, hidden and on a hidden record all answer alike."""
    try:
        return attachments_visible(user).get(pk=pk)
    except (Attachment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(MISSING) from exc


def record_of(attachment: Attachment) -> LabelledModel:
    """The record an attachment is on, as its base model (label and owner), unfiltered: callers
    have read the attachment through ``attachments_visible``, which required the record visible."""
    model = attachment.content_type.model_class()
    return model._default_manager.get(pk=attachment.object_id)  # type: ignore[union-attr, no-any-return]


def reference_of(record: Model) -> str:
    """How a request names a record: ``app_label.model:id`` of its base table."""
    meta = base_model(type(record))._meta
    return f"{meta.app_label}.{meta.model_name}:{record.pk}"


def record_from_reference(user: User | AnonymousUser, reference: str) -> LabelledModel:
    """The attachable record a reference names, if the user may see it; ``Http404`` when it is
    missing or hidden (alike), ``BadReferenceError`` when the text is not a reference to an attachable
    model (which says nothing about any record)."""
    match = REFERENCE.fullmatch(reference.strip())
    if match is None:
        raise BadReferenceError("name the record as app_label.model:id, e.g. engagements.engagement:42")
    try:
        model = ContentType.objects.get_by_natural_key(match["app"], match["model"]).model_class()
    except ContentType.DoesNotExist:
        model = None
    base = attachable_base(model) if model is not None else None
    if base is None:
        names = ", ".join(f"{m._meta.app_label}.{m._meta.model_name}" for m in attachable_models())
        raise BadReferenceError(f"files may be attached to these records only: {names}")
    try:
        return base.objects.visible_to(user).select_related("label").get(pk=int(match["pk"]))  # type: ignore[attr-defined, no-any-return]
    except base.DoesNotExist as exc:
        raise Http404(MISSING) from exc
