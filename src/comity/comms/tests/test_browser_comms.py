"""In real Chromium under the CSP: two users on one conversation, each in their own browser
context; one sends, and the other's page shows the message without a reload, as text.

Django's live server speaks WSGI only, so the pages are served here by uvicorn on the project's
ASGI application (HTTP and the websocket), in a thread of the test process against the test
database, as ``comity serve`` runs it.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from comity.comms.tests.helpers import start
from comity.core.testing.browser import sign_in
from comity.core.testing.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # WhiteNoise hands Django a synchronous file iterator, which Django's ASGI handler serves with
    # this warning; the files are served all the same.
    pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous iterators:Warning"),
]

HOSTILE = '<img src=x onerror="document.body.dataset.owned=1">Hostile & <b>bold</b>'


def _one_request_at_a_time(application: Any) -> Any:
    """The ASGI application with its HTTP requests taken one at a time.

    Django runs each request in a thread of its own, and the test database is SQLite in memory,
    shared between threads in shared-cache mode, whose table locks answer "locked" at once
    instead of waiting as a database file (busy timeout) or PostgreSQL would. The websocket is
    not held up: only HTTP requests queue.
    """
    lock = asyncio.Lock()

    async def serialised(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await application(scope, receive, send)
            return
        async with lock:
            await application(scope, receive, send)

    return serialised


@pytest.fixture
def asgi_url() -> Iterator[str]:
    """uvicorn on a free loopback port serving ``comity.asgi.application``; stopped after the test."""
    from comity.asgi import application as site

    application = _one_request_at_a_time(site)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(application, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_a_message_appears_on_the_other_users_page_without_a_reload(
    chromium: Any, asgi_url: str, settings: Any
) -> None:
    settings.COMITY_WEBSOCKET_PATH = "/ws/comms/"  # served here (the test settings turn it off)
    nld = make_user("NLD", "SECRET", username="bw-nld", roles=("editor",))
    fin = make_user("FIN", "RESTRICTED", username="bw-fin", roles=("editor",))
    conversation = start(nld, [fin], subject="Browser liaison", body="First.").conversation
    url = f"{asgi_url}/comms/conversations/{conversation.pk}/"
    errors: list[str] = []
    pages = []
    for user in ("bw-fin", "bw-nld"):
        page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        sign_in(page, url, user)
        page.wait_for_selector("body[data-comms-state=open]", timeout=15000)
        pages.append(page)
    reader, writer = pages
    reader.evaluate("window.comityNotReloaded = true")
    writer.fill("#id_body", HOSTILE)
    writer.click("#message-form button[type=submit]")
    writer.wait_for_url(url)
    reader.wait_for_selector("#comms-thread .comms-message:nth-of-type(2)", timeout=15000)
    bodies = reader.locator("#comms-thread .comms-body").all_inner_texts()
    assert bodies[-1] == HOSTILE  # shown as typed: no element made of it
    assert reader.evaluate("window.comityNotReloaded") is True
    assert reader.evaluate("document.body.dataset.owned") is None
    assert reader.locator("#comms-thread img").count() == 0
    assert errors == []
