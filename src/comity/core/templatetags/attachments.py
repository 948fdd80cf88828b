"""``{% attachments_section record %}``: a record page's Attachments section in one line.

The record pages belong to their apps; the section is core's, so it is drawn by this inclusion
tag rather than by each page's view: the tag reads the attachments the signed-in user may see
(``attachments_of``) and whether the record's write rule lets them attach and delete files, and
renders ``core/attachments/_section.html``. A page adds the line and nothing else.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model

from comity.core.attachments.files import ALLOWED, ALLOWED_WORDS, max_bytes
from comity.core.attachments.selectors import attachments_of, reference_of
from comity.core.authority import WriteAction
from comity.core.permissions import write_decision

register = template.Library()


@register.inclusion_tag("core/attachments/_section.html", takes_context=True)
def attachments_section(context: dict[str, Any], record: Model) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "record": record,
        "reference": reference_of(record),
        "attachments": attachments_of(user, record),
        "may_attach": bool(write_decision(user, WriteAction.CHANGE, record, record.owner)),  # type: ignore[attr-defined]
        "may_delete": bool(write_decision(user, WriteAction.DELETE, record, record.owner)),  # type: ignore[attr-defined]
        "accept": ",".join(ending for endings in ALLOWED.values() for ending in endings),
        "allowed_words": ALLOWED_WORDS,
        "max_mib": f"{max_bytes() / 2**20:g}",
    }
