"""Reads for core: who a user is for access decisions, and which labels they may see.

``labels_visible_to`` is ``access.decide`` written as SQL. Keep the two in step: the hypothesis
test in ``core/tests/test_access_property.py`` fails when they disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.db.models import Case, Exists, F, Model, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string

from comity.core.access import PUBLIC_POLICY, CategoryType, Subject, nation_holdings
from comity.core.labels import labels_generation
from comity.core.models import (
    AuditEntry,
    CategoryGrant,
    Clearance,
    ConfidentialityLabel,
    LabelCategory,
    LabelCategoryValue,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from comity.core.desk import DeskItem
    from comity.core.models import User

M = TypeVar("M", bound=Model)


def group_resolver() -> Callable[[str, date], frozenset[str]]:
    """The configured function that expands a nation into its releasability groups on a date."""
    return import_string(settings.COMITY_GROUP_RESOLVER)  # type: ignore[no-any-return]


def subject_for(user: User | AnonymousUser, on: date | None = None) -> Subject:
    """Build the access subject of a user now (or ``on`` a date), expanding groups afresh.

    Cached on the user object for the rest of the request: within one request the answer
    cannot change, and each labelled query would otherwise repeat three small lookups.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Subject(nation=None)
    day = on or timezone.localdate()
    cached = getattr(user, "_comity_subject", None)
    if cached is not None and cached[0] == day:
        return cached[1]  # type: ignore[no-any-return]
    clearances = dict(Clearance.objects.filter(user=user).values_list("policy__name", "classification__rank"))
    nation = user.nationality or None
    groups = group_resolver()(nation, day) if nation else frozenset()
    grants = frozenset(CategoryGrant.objects.filter(user=user).values_list("tag_name", "value"))
    subject = Subject(nation=nation, clearances=clearances, holdings=nation_holdings(nation, groups) | grants)
    user._comity_subject = (day, subject)  # type: ignore[union-attr]
    return subject


def _holds(subject: Subject, tag_field: str, value_field: str) -> Q:
    """SQL for "the subject holds this (tag, value)"; matches nothing when it holds nothing."""
    by_tag: dict[str, list[str]] = {}
    for tag, value in subject.holdings:
        by_tag.setdefault(tag, []).append(value)
    clauses = [Q(**{tag_field: tag, f"{value_field}__in": sorted(values)}) for tag, values in sorted(by_tag.items())]
    return reduce(or_, clauses) if clauses else Q(pk__in=[])


def labels_visible_to(subject: Subject) -> QuerySet[ConfidentialityLabel]:
    """The labels a subject may see, as one SQL query (used as a subquery by ``visible_to``)."""
    classification = Q(policy__name=PUBLIC_POLICY) | reduce(
        or_,
        (Q(policy__name=policy, classification__rank__lte=rank) for policy, rank in subject.clearances.items()),
        Q(pk__in=[]),
    )
    held_value = _holds(subject, "category__tag_name", "value")
    permissive_unmet = LabelCategory.objects.filter(label=OuterRef("pk"), type=CategoryType.PERMISSIVE.value).exclude(
        Exists(LabelCategoryValue.objects.filter(held_value, category=OuterRef("pk")))
    )
    restrictive_unmet = LabelCategoryValue.objects.filter(
        category__label=OuterRef("pk"), category__type=CategoryType.RESTRICTIVE.value
    ).exclude(held_value)
    return (
        ConfidentialityLabel.objects.filter(classification)
        .exclude(Exists(permissive_unmet))
        .exclude(Exists(restrictive_unmet))
    )


def visible_label_ids(user: User | AnonymousUser) -> list[int]:
    """The ids of the labels a user may see now (labels are few: they are stored once per content).

    Kept on the user object for the rest of the request, like the subject: a page asks for every
    list it draws, and the rule's query is the costly part of a read. A label is never changed
    once stored (it is found again by its fingerprint), so the answer can only grow by labels
    stored since; every label is stored through ``core.labels.label_get_or_create``, which counts
    them (``labels_generation``), so no query is needed to tell. (A label another process stores
    meanwhile is seen from the next request on, as a request reads one consistent state.)
    """
    subject = subject_for(user)
    generation = labels_generation()
    cached = getattr(user, "_comity_label_ids", None)
    if cached is not None and cached[0] is subject and cached[1] == generation:
        return cached[2]  # type: ignore[no-any-return]
    ids = list(labels_visible_to(subject).values_list("pk", flat=True))
    if getattr(user, "is_authenticated", False):
        user._comity_label_ids = (subject, generation, ids)  # type: ignore[union-attr]
    return ids


def may_see_label(user: User | AnonymousUser, label: ConfidentialityLabel) -> bool:
    """Whether a user may see ``label``; nobody may give a record a label they could not read."""
    return labels_visible_to(subject_for(user)).filter(pk=label.pk).exists()


def access_or_404(queryset: QuerySet[M], user: User | AnonymousUser, **lookup: Any) -> M:
    """Fetch one labelled record the user may see; missing and forbidden both answer 404.

    A label must never leak that a record exists, so there is no 403 path here. A classified
    record found is a read the change log keeps (``core.audit_reads``), except where it is fetched
    for update: the write it leads to is logged instead.
    """
    from comity.core.audit_reads import record_read

    try:
        record = queryset.visible_to(user).get(**lookup)  # type: ignore[attr-defined]
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise Http404("No such record.") from exc
    if not queryset.query.select_for_update:
        record_read(user, record)
    return record  # type: ignore[no-any-return]


def audit_entries_visible(user: User | AnonymousUser) -> QuerySet[AuditEntry]:
    """The change-log entries a user may read: every path that reads the change log starts here.

    An entry is visible under its label (that of the record it describes, or of the record that
    record belongs to). Entries about accounts (``core.audit.admin_only_models``: users,
    clearances, grants, roles, sessions, tokens) are read by administrators, and by an auditor for
    the accounts of their scope (users of that nationality; every account for an organisation
    scope such as NATO), so access reviews need no administrator's powers. Entries of reads (who
    looked at a classified record) are the same kind of thing, about people rather than records:
    administrators and the auditors of the reader's scope read them, each under its label.
    """
    from django.contrib.contenttypes.models import ContentType

    from comity.core.audit import admin_only_models
    from comity.core.models.audit import AuditAction
    from comity.core.roles_check import is_administrator

    entries = AuditEntry.objects.visible_to(user)  # type: ignore[arg-type]
    if is_administrator(user):
        return entries  # type: ignore[no-any-return]
    account_types = ContentType.objects.get_for_models(*admin_only_models(), for_concrete_models=False)
    hidden = Q(content_type__in=[ct.pk for ct in account_types.values()])
    people = _people_audited_by(user)
    reads = Q(action=AuditAction.READ.value)
    return entries.filter(  # type: ignore[no-any-return]
        (~hidden | _accounts_audited_by(people, account_types)) & (~reads | Q(user_id__in=people))
    )


def _people_audited_by(user: User | AnonymousUser) -> list[int]:
    """The ids of the users whose accounts and reads ``user`` audits: those of the nations they
    hold the auditor role for (everyone for an organisation scope such as NATO); none without it."""
    from comity.core.authority import Role
    from comity.core.models import User as UserModel
    from comity.core.permissions import actor_for

    actor = actor_for(user)
    scopes = {scope for role, scope in actor.roles if role == Role.AUDITOR.value} if actor.active else set()
    if not scopes:
        return []
    people = UserModel.objects.all()
    if all(len(scope) == 3 for scope in scopes):  # nations (ISO3); an organisation scope audits everyone
        people = people.filter(nationality__in=scopes)
    return list(people.values_list("pk", flat=True))


def _accounts_audited_by(ids: list[int], account_types: dict[Any, Any]) -> Q:
    """The account entries an auditor reads: about the users ``ids`` (by the entry's subject: the
    user itself, or the ``user`` a clearance, grant or role assignment belongs to)."""
    from comity.core.models import User as UserModel

    if not ids:
        return Q(pk__in=[])
    about_users = Q(content_type=account_types[UserModel], object_id__in=[str(pk) for pk in ids])
    owned = [
        ct.pk
        for model, ct in account_types.items()
        if model is not UserModel and any(f.name == "user" for f in model._meta.concrete_fields)
    ]
    about_their_access = Q(content_type__in=owned) & (Q(after__user_id__in=ids) | Q(before__user_id__in=ids))
    return about_users | about_their_access


def audit_log_entries(user: User | AnonymousUser, filters: dict[str, Any]) -> QuerySet[AuditEntry]:
    """The audit page's entries: ``audit_entries_visible`` narrowed by the page's filters (record
    type and id, user name, the user's nation, action, first and last day), newest first. A filter
    only narrows what the user may read; it never reaches an entry the labels hide."""
    entries = audit_entries_visible(user)
    lookups = {
        "type": "content_type__model",
        "object_id": "object_id",
        "username": "username",
        "nation": "user__nationality",
        "action": "action",
        "since": "time__date__gte",
        "until": "time__date__lte",
    }
    narrowed = {lookups[name]: value for name, value in filters.items() if name in lookups and value not in (None, "")}
    return entries.filter(**narrowed).order_by("-seq")


def audit_history(user: User | AnonymousUser, record: Model) -> QuerySet[AuditEntry]:
    """The entries about one record that a user may read (its own model's and its parents'), and
    those about the files attached to it: an attachment's entry names the record in its snapshot
    (``content_type_id`` and ``object_id``), which finds it after the attachment is deleted too;
    those carry the file's name as ``attachment_name``. Each entry is read under its own label."""
    from django.contrib.contenttypes.models import ContentType

    from comity.core.audit import attachment_entries_of

    lineage = [type(record), *record._meta.get_parent_list()]
    type_ids = [ct.pk for ct in ContentType.objects.get_for_models(*lineage).values()]
    own = Q(object_id=str(record.pk), content_type__in=type_ids)
    attached = attachment_entries_of(record)
    return (
        audit_entries_visible(user)
        .filter(own | attached)
        .annotate(attachment_name=Case(When(attached, then=F("object_repr")), default=Value("")))
    )


def owned_scopes(user: User | AnonymousUser) -> list[str]:
    """The scopes whose records ``user`` keeps: those they hold a writing role for (editor,
    approver, programme manager). A user owns no record of their own; their scope does."""
    from comity.core.authority import WriteAction, scopes_for
    from comity.core.permissions import actor_for

    actor = actor_for(user)
    return sorted({scope for action in WriteAction for scope in scopes_for(actor, action)})


def changes_to_owned_records(user: User | AnonymousUser) -> QuerySet[AuditEntry]:
    """The change-log entries the user may read about records owned by their scopes, made by
    someone else (their own changes they know), newest first; changes only, not reads.

    Built from ``audit_entries_visible``, so an entry is there only where its label is readable;
    the owner is matched per labelled model in SQL (an entry names its record by content type
    and id), so ``core`` need not know the models of the apps above it.
    """
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from comity.core.models import LabelledModel
    from comity.core.models.audit import AuditAction

    scopes = owned_scopes(user)
    if not scopes:
        return AuditEntry.objects.none()
    models = [
        model
        for model in apps.get_models()
        if issubclass(model, LabelledModel) and model is not AuditEntry and not model._meta.proxy
    ]
    types = ContentType.objects.get_for_models(*models, for_concrete_models=True)
    owned = reduce(
        or_,
        (
            Q(
                content_type=types[model],
                object_id__in=model._default_manager.filter(owner__in=scopes)
                .annotate(desk_object_id=Cast("pk", CharField()))
                .values("desk_object_id"),
            )
            for model in models
        ),
        Q(pk__in=[]),
    )
    return audit_entries_visible(user).filter(owned).exclude(user_id=user.pk).exclude(action=AuditAction.READ.value)


def desk_changes(user: User | AnonymousUser, limit: int | None) -> list[DeskItem]:
    """The desk's "recent changes" panel: ``changes_to_owned_records``, newest first."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from comity.core.banner import LABEL_PREFETCH, LABEL_SELECT
    from comity.core.desk import DeskItem

    entries = (
        changes_to_owned_records(user)
        .select_related("content_type", *LABEL_SELECT)
        .prefetch_related(*LABEL_PREFETCH)[:limit]
    )
    log = reverse("audit-log")
    return [
        DeskItem(
            text=f"{entry.get_action_display()} {entry.content_type.model} “{entry.object_repr}” "
            f"by {entry.username or 'the system'}",
            labels=(entry.label,),
            url=f"{log}?{urlencode({'type': entry.content_type.model})}",
            when=timezone.localtime(entry.time).date(),
        )
        for entry in entries
    ]
