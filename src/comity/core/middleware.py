"""Site-wide middleware: sign-in for every page, and the label banner on every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse

from comity.core.banner import BANNER_PLACEHOLDER, banner_html


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's login-required default, except for the API, which answers 401/403 itself."""

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)  # type: ignore[no-any-return]


class LabelBannerMiddleware:
    """Fill the banner placeholders of an HTML page with the highest label shown on it.

    Templates render labels through ``{% label_badge %}``, which records each one on the
    request; only after the whole page is rendered is the highest label known, so the banner at
    the top is written here rather than by the template.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if getattr(response, "streaming", False) or not content_type.startswith("text/html"):
            return response
        placeholder = BANNER_PLACEHOLDER.encode()
        if placeholder in response.content:
            banner = banner_html(getattr(request, "comity_labels", [])).encode()
            response.content = response.content.replace(placeholder, banner)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
