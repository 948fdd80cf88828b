"""ASGI entry point: pages and the API over HTTP, comms' real-time events over websockets.

``comity serve`` runs it (uvicorn; gunicorn with uvicorn workers in production). Websockets need
a signed-in session (``AuthMiddlewareStack``) and an ``Origin`` among ``ALLOWED_HOSTS``
(``AllowedHostsOriginValidator``), so another site's page cannot open one with the user's cookie.
"""

import os
import warnings

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comity.settings.base")
# WhiteNoise hands Django a synchronous file iterator, which the ASGI handler serves whole but
# warns about on the first static file; the warning says nothing an operator can act on.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators", category=Warning)
# Django is set up here, before anything that imports models.
django_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from comity.comms.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
