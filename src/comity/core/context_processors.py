"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from comity import __version__


def comity(request: HttpRequest) -> dict[str, Any]:
    """The version, and where the page's script opens its websocket (none: it opens none)."""
    return {"comity_version": __version__, "websocket_path": settings.COMITY_WEBSOCKET_PATH}
