"""Template tags for labels: a badge on every record, recorded for the page banner."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from comity.core.banner import BANNER_PLACEHOLDER, label_spec, level_class
from comity.core.markings import display_marking, language_of
from comity.core.models import ConfidentialityLabel

register = template.Library()


@register.simple_tag(takes_context=True)
def label_badge(context: dict[str, Any], label: ConfidentialityLabel | None) -> SafeString:
    """Render a record's label in the compact form, its full SPIF marking as the title, and
    remember it for the page's banner."""
    if label is None:
        return SafeString("")
    request = context.get("request")
    if request is not None:
        if not hasattr(request, "comity_labels"):
            request.comity_labels = []
        request.comity_labels.append(label)
    spec = label_spec(label)
    return format_html(
        '<span class="label-badge label-badge--{}" title="Confidentiality label: {}">{}</span>',
        level_class(spec),
        display_marking(spec, language_of(translation.get_language())),
        label.marking,
    )


@register.simple_tag
def label_banner() -> SafeString:
    """Where the page banner goes; ``LabelBannerMiddleware`` fills it after rendering."""
    return SafeString(BANNER_PLACEHOLDER)  # a constant HTML comment, no user data
