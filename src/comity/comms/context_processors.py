"""The header's unread count, rendered with the page (``settings.TEMPLATES``).

Lazy: the count is read only when a template shows it (the signed-in header), through the same
selector as the badge, the desk panel and the API. Rendering it with the page rather than
fetching it after load keeps a page to one request; the websocket's events refresh it
(``/comms/badge/``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from comity.comms.selectors import unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    return {"comms_unread": SimpleLazyObject(lambda: unread_count(request.user))}
