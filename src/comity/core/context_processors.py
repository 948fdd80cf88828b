"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from comity import __version__


def comity(request: HttpRequest) -> dict[str, Any]:
    return {"comity_version": __version__}
