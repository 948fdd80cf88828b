"""Template tags for the desk: an item's marking, recorded for the page banner."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from comity.core.banner import bound_marking, level_class
from comity.core.desk import DeskItem

register = template.Library()


@register.simple_tag(takes_context=True)
def item_badge(context: dict[str, Any], item: DeskItem) -> SafeString:
    """Render a desk item's marking (the bound of its labels) and remember every label for the
    page's banner, as ``{% label_badge %}`` does for one record."""
    request = context.get("request")
    if request is not None:
        if not hasattr(request, "comity_labels"):
            request.comity_labels = []
        request.comity_labels.extend(item.labels)
    marking, spec = bound_marking(item.labels)
    return format_html(
        '<span class="label-badge label-badge--{}" title="Confidentiality label">{}</span>', level_class(spec), marking
    )
