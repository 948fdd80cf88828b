"""Writing the change log. Services call these inside their own ``transaction.atomic`` block.

``snapshot`` captures a record's concrete fields as JSON-safe values; ``audit_*`` store one
``AuditEntry`` per change with the record's label (the high-water mark of the old and the new
label when the change relabelled the record).

A record without a label of its own that belongs to a labelled one (an activity's assignment)
names that record's foreign key in a ``label_from`` class attribute; its entries carry that
record's label, so they are read by exactly those who may read the record. Unlabelled reference
data is PUBLIC. Entries about accounts (models with ``audit_admin_only = True``, and the
third-party models in ``ADMIN_ONLY_ELSEWHERE``) are for administrators only: the read path,
``core.selectors.audit_entries_visible``, leaves them out for everyone else.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from comity.core.audit_chain import CHAINED_COLUMNS, ROW_COLUMNS, append, append_rows
from comity.core.models import AuditEntry, ConfidentialityLabel
from comity.core.models.audit import AuditAction

if TYPE_CHECKING:
    from comity.core.models import User


#: Fields whose values never enter the change log: secrets stay where they are.
REDACTED_FIELDS = frozenset({"password"})


def _logged_value(instance: models.Model, field: models.Field) -> Any:
    """A field's value as the change log keeps it: secrets and binary content (sealed bodies) are
    replaced by a marker, so the log shows that they changed without holding them."""
    if field.attname in REDACTED_FIELDS:
        return "[redacted]"
    value = getattr(instance, field.attname)
    if isinstance(value, bytes | memoryview | bytearray):
        return f"[binary: {len(value)} bytes]"
    return value


def snapshot_json(instance: models.Model) -> str:
    """``snapshot`` as JSON text: what the change log stores, for writers that pass it as is."""
    raw = {field.attname: _logged_value(instance, field) for field in instance._meta.concrete_fields}
    return json.dumps(raw, cls=DjangoJSONEncoder)


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The record's concrete field values, as JSON would store them (foreign keys as ids).

    Secrets (password hashes) and binary content are replaced by a marker (``_logged_value``).
    """
    return json.loads(snapshot_json(instance))


#: Account models of other apps, which cannot carry ``audit_admin_only`` themselves.
ADMIN_ONLY_ELSEWHERE = ("authtoken.token", "authtoken.tokenproxy", "sessions.session", "auth.group")


def admin_only_models() -> list[type[models.Model]]:
    """The models whose change-log entries only administrators read (accounts and their access)."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if getattr(model, "audit_admin_only", False) or model._meta.label_lower in ADMIN_ONLY_ELSEWHERE
    ]


def _label_id_of(instance: models.Model | None) -> int | None:
    """The id of the label ``instance`` carries or shares (through ``label_from``); None if none."""
    if instance is None:
        return None
    label_id: int | None = getattr(instance, "label_id", None)
    if label_id is not None:
        return label_id
    source = getattr(type(instance), "label_from", None)
    return _label_id_of(getattr(instance, source)) if source else None


def _label_of(instance: models.Model) -> ConfidentialityLabel:
    from comity.core.labels import public_label

    label_id = _label_id_of(instance)
    return public_label() if label_id is None else ConfidentialityLabel(pk=label_id)


def _label_ids_in(model: type[models.Model], values: dict[str, Any]) -> set[int]:
    """The labels a snapshot of ``model`` was held under: its own, or its ``label_from`` record's."""
    if "label_id" in values:
        return {values["label_id"]} - {None}
    source = getattr(model, "label_from", None)
    if not source:
        return set()
    field = model._meta.get_field(source)
    parent_pk = values.get(field.attname)  # type: ignore[union-attr]
    parent = field.related_model._default_manager.filter(pk=parent_pk).first() if parent_pk is not None else None  # type: ignore[union-attr]
    return {label_id} if (label_id := _label_id_of(parent)) is not None else set()


def _linked_label_ids(model: type[models.Model], values: dict[str, Any]) -> set[int]:
    """The labels of the labelled records a snapshot names by foreign key (a measure's related
    exercise, an objective's parent): the key of a record is itself something its label guards."""
    ids: set[int] = set()
    for field in model._meta.concrete_fields:
        target = field.related_model if field.is_relation else None
        pk = values.get(field.attname)
        if target is None or pk is None or "label" not in {f.name for f in target._meta.concrete_fields}:
            continue
        ids.update(target._default_manager.filter(pk=pk).values_list("label_id", flat=True))
    return ids - {None}


def _entry_label(
    instance: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    linked: Iterable[models.Model] = (),
) -> ConfidentialityLabel:
    """The label of an entry: the record's, or, when the change relabelled it (or moved it to a
    record with another label) or names other labelled records, the least upper bound of all those
    labels. Whoever reads the entry reads the values from before and after and the keys of the
    records it links, so lowering a record's label must not lower what its old values are kept
    under, and a PUBLIC record's entry must not name a SECRET objective under PUBLIC.
    """
    model = type(instance)
    ids = {label_id for values in (before, after) if values for label_id in _label_ids_in(model, values)}
    ids |= {label_id for values in (before, after) if values for label_id in _linked_label_ids(model, values)}
    ids |= {label_id for record in linked if (label_id := _label_id_of(record)) is not None}
    own = _label_id_of(instance)
    if own is not None:
        ids.add(own)
    if len(ids) < 2:
        return _label_of(instance)
    labels = ConfidentialityLabel.objects.filter(pk__in=ids).select_related("policy", "classification")
    return _bound(labels.prefetch_related("categories__values"))


def audit_entry(
    *,
    acting_user: User | None,
    action: AuditAction,
    instance: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    label: ConfidentialityLabel | None = None,
    linked: Iterable[models.Model] = (),
) -> AuditEntry:
    """An unsaved change-log entry; ``audit_record`` writes it (a pure builder: no query writes).

    ``linked`` are records the entry names beyond its foreign keys (many-to-many links such as an
    engagement's objectives): the entry is labelled at least as high as each of them.
    """
    return AuditEntry(
        user=acting_user if acting_user is not None and acting_user.pk else None,
        username=acting_user.get_username() if acting_user is not None else "",
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        before=before,
        after=after,
        label=label or _entry_label(instance, before, after, linked),
    )


def _bound(labels: Iterable[ConfidentialityLabel]) -> ConfidentialityLabel:
    """The least upper bound of ``labels`` as a stored label (``core.derivation``'s bound)."""
    from comity.core.derivation import least_upper_bound
    from comity.core.labels import label_get_or_create

    return label_get_or_create(least_upper_bound(label.to_spec() for label in labels))  # type: ignore[arg-type]


def audit_record(*entries: AuditEntry) -> None:
    """Write change-log entries built by ``audit_entry``, in the caller's transaction.

    An entry that records a relabel first raises the record's earlier history to the new label
    (``_history_follows``), so the write that relabels and the write that hides its past happen
    together, here, and never inside a builder. The entries then join the hash chain
    (``core.audit_chain.append``: their place, time and hashes, under the chain head's lock).
    """
    for entry in entries:
        before, after = entry.before, entry.after
        if before is not None and after is not None and before.get("label_id") != after.get("label_id"):
            _history_follows(entry.content_type, entry.object_id, after.get("label_id"))
    append(entries)


def _history_follows(content_type: ContentType, object_id: str, label_id: int | None) -> None:
    """A record relabelled: its earlier entries, and those of the records that take their label
    from it (an activity's assignments) and of the files attached to it, are raised to at least
    the new label.

    Raising a label must take effect on the next request on every channel, the change log
    included: whoever may no longer read the record may no longer read its past values either.
    Lowering a label leaves the history where it was (each entry keeps at least its own label).
    """
    if label_id is None:
        return
    from django.apps import apps

    subject = content_type.model_class()
    subjects = [(content_type, [object_id])]
    for model in apps.get_models():
        source = getattr(model, "label_from", None)
        if source and subject is not None and issubclass(subject, model._meta.get_field(source).related_model):  # type: ignore[arg-type]
            children = model._default_manager.filter(**{source: object_id}).values_list("pk", flat=True)
            subjects.append((ContentType.objects.get_for_model(model), [str(pk) for pk in children]))
    new = ConfidentialityLabel.objects.select_related("policy", "classification").get(pk=label_id)
    about = [AuditEntry.objects.filter(content_type=ct, object_id__in=object_ids) for ct, object_ids in subjects]
    if subject is not None:
        about.append(AuditEntry.objects.filter(_attachment_entries(subject, object_id)))
    for entries in (queryset.exclude(label=new) for queryset in about):
        for old in ConfidentialityLabel.objects.filter(pk__in=entries.values("label_id")).prefetch_related(
            "categories__values"
        ):
            raised = _bound([old, new])
            if raised.pk != old.pk:
                entries.filter(label=old).update(label=raised)


def attachment_entries_of(record: models.Model) -> models.Q:
    """The entries about files attached to ``record`` (``core.models.Attachment``), found by the
    record its snapshot names (content type of any of the record's tables, and id), so those of
    deleted files are found too: the record's history lists them and its relabelling raises them."""
    return _attachment_entries(type(record), record.pk)


def _attachment_entries(model: type[models.Model], pk: object) -> models.Q:
    from comity.core.models import Attachment

    lineage = [model, *model._meta.get_parent_list()]
    type_ids = [ct.pk for ct in ContentType.objects.get_for_models(*lineage).values()]
    # Snapshots hold the id as the JSON number it is; the change log names records by text.
    ident = int(pk) if isinstance(pk, str) and pk.isdigit() else pk
    return models.Q(content_type=ContentType.objects.get_for_model(Attachment)) & (
        models.Q(after__content_type_id__in=type_ids, after__object_id=ident)
        | models.Q(before__content_type_id__in=type_ids, before__object_id=ident)
    )


def audit_create(instance: models.Model, *, acting_user: User | None) -> AuditEntry:
    """Record that ``instance`` was just created."""
    entry = audit_entry(
        acting_user=acting_user, action=AuditAction.CREATE, instance=instance, before=None, after=snapshot(instance)
    )
    audit_record(entry)
    return entry


def audit_create_many(instances: Sequence[models.Model], *, acting_user: User | None) -> None:
    """Record that ``instances`` were just created: one entry each, as ``audit_create`` writes it.

    For imports of many records: each snapshot is built once, as JSON text, and the entries go in
    with ``core.bulk.insert_rows`` (COPY on PostgreSQL) rather than as model instances, chained
    in order (``core.audit_chain.append_rows``). The text stored is the canonical JSON of the
    snapshot, what Django writes for the snapshot dict through the field's encoder, so the entries
    read back the same as ``audit_create``'s.
    """
    from comity.core.bulk import insert_rows

    user_id = acting_user.pk if acting_user is not None and acting_user.pk else None
    username = acting_user.get_username() if acting_user is not None else ""
    content_types: dict[type[models.Model], int] = {}

    def row(instance: models.Model) -> dict[str, Any]:
        model = type(instance)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(model, for_concrete_model=True).pk
        after = snapshot_json(instance)
        return {
            "label": _entry_label(instance, None, json.loads(after)).pk,
            "user": user_id,
            "username": username,
            "action": AuditAction.CREATE.value,
            "content_type": content_types[model],
            "object_id": str(instance.pk),
            "object_repr": str(instance)[:255],
            "before": None,
            "after": after,
        }

    columns = (*ROW_COLUMNS, *CHAINED_COLUMNS)
    append_rows((row(instance) for instance in instances), lambda rows: insert_rows(AuditEntry, columns, rows))


def audit_update(instance: models.Model, before: dict[str, Any], *, acting_user: User | None) -> AuditEntry | None:
    """Record an update; nothing is written when no field changed."""
    after = snapshot(instance)
    if after == before:
        return None
    entry = audit_entry(
        acting_user=acting_user, action=AuditAction.UPDATE, instance=instance, before=before, after=after
    )
    audit_record(entry)
    return entry


def audit_delete(instance: models.Model, *, acting_user: User | None) -> AuditEntry:
    """Record a deletion; call before ``instance.delete()`` so that the primary key is known."""
    entry = audit_entry(
        acting_user=acting_user, action=AuditAction.DELETE, instance=instance, before=snapshot(instance), after=None
    )
    audit_record(entry)
    return entry
