"""The label banner: the highest label among those rendered on a page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache, lru_cache

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.module_loading import import_string

from comity.core.access import PUBLIC_POLICY, LabelSpec
from comity.core.labels import LabelError, high_water_mark, render_marking
from comity.core.markings import display_marking, language_of
from comity.core.models import ConfidentialityLabel, LabelledModel

BANNER_PLACEHOLDER = "<!--comity:label-banner-->"

#: What a labelled list prefetches so that labels render without a query per label.
LABEL_PREFETCH = ("label__categories__values",)
LABEL_SELECT = ("label__policy", "label__classification")


@lru_cache(maxsize=4096)
def _spec_by_fingerprint(fingerprint: str) -> LabelSpec:
    """Labels are immutable, so a label's content is cached by its content digest."""
    label = (
        ConfidentialityLabel.objects.select_related("policy", "classification")
        .prefetch_related("categories__values")
        .get(fingerprint=fingerprint)
    )
    return label.to_spec()


def label_spec(label: ConfidentialityLabel) -> LabelSpec:
    """The content of a stored label: from prefetched rows when the caller prefetched, else cached."""
    if "categories" in getattr(label, "_prefetched_objects_cache", {}):
        return label.to_spec()
    return _spec_by_fingerprint(label.fingerprint)


def level_class(spec: LabelSpec | None) -> str:
    """A CSS modifier for the banner colour: public, or the classification's rank."""
    if spec is None or spec.policy == PUBLIC_POLICY:
        return "public"
    return f"rank-{min(spec.rank, 5)}"


def page_bounds(specs: Iterable[LabelSpec], expand: Callable[[str], frozenset[str]]) -> list[LabelSpec]:
    """The least upper bound of the page's labels: one label, or none for a page without any.

    A page that shows records of two national policies has no single bound (a label names one
    policy), so it then has each policy's bound, PUBLIC left out.
    """
    specs = list(specs)
    try:
        spec = high_water_mark(specs, expand=expand)
    except LabelError:
        by_policy: dict[str, list[LabelSpec]] = defaultdict(list)
        for item in specs:
            by_policy[item.policy].append(item)
        bounds = [high_water_mark(group, expand=expand) for _, group in sorted(by_policy.items())]
        return [bound for bound in bounds if bound is not None and bound.policy != PUBLIC_POLICY]
    return [] if spec is None else [spec]


def page_bound(specs: Iterable[LabelSpec], expand: Callable[[str], frozenset[str]]) -> tuple[str, LabelSpec | None]:
    """The banner's marking and the label that sets its colour (see ``compact``)."""
    return compact(page_bounds(specs, expand))


def compact(bounds: list[LabelSpec]) -> tuple[str, LabelSpec | None]:
    """Bounds in the compact form, joined by ``+`` when there are several, and the highest of
    them, which colours the banner."""
    if not bounds:
        return "PUBLIC", None
    return " + ".join(render_marking(bound) for bound in bounds), max(bounds, key=lambda bound: bound.rank)


def _page_labels(labels: Iterable[ConfidentialityLabel]) -> list[LabelSpec]:
    """The bounds of ``labels`` as today's groups expand them."""
    expand = import_string(settings.COMITY_GROUP_MEMBERS)
    today = timezone.localdate()
    return page_bounds((label_spec(label) for label in labels), cache(lambda group: expand(group, today)))


def bound_marking(labels: Iterable[ConfidentialityLabel]) -> tuple[str, LabelSpec | None]:
    """The least upper bound of ``labels`` as today's groups expand it: what a page's banner says
    and what an export is marked (PUBLIC when there are none)."""
    return compact(_page_labels(labels))


def labels_of(*records: QuerySet[LabelledModel]) -> list[ConfidentialityLabel]:
    """The distinct labels of the rows of ``records``, ready for ``{% label_badge %}``: what a page
    that shows a figure derived from those rows badges, so that its banner is never lower than
    the records behind the figure."""
    ids: set[int] = set()
    for queryset in records:
        ids.update(queryset.values_list("label_id", flat=True))
    found = ConfidentialityLabel.objects.filter(pk__in=ids).select_related("policy", "classification")
    return list(found.prefetch_related("categories__values").order_by("pk"))


def banner_html(labels: Iterable[ConfidentialityLabel]) -> str:
    """The banner for a page that showed ``labels`` (PUBLIC when it showed none): the compact
    marking, with the SPIF's full marking in the reader's language as its title."""
    bounds = _page_labels(labels)
    marking, spec = compact(bounds)
    lang = language_of(translation.get_language())
    full = " + ".join(display_marking(bound, lang) for bound in bounds) if bounds else "PUBLIC"
    return format_html(
        '<div class="label-banner label-banner--{}" role="note" aria-label="Page classification" title="{}">{}</div>',
        level_class(spec),
        full,
        marking,
    )
