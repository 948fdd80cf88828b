"""A websocket test client for the comms consumer, on asgiref's ``ApplicationCommunicator``.

``channels.testing`` cannot be imported here: its package imports the live-server test case,
which needs daphne (not installed; comity serves ASGI with uvicorn). This is the part of
channels' ``WebsocketCommunicator`` the tests and the fan-out benchmark use, with the same
guard: ``database_sync_to_async`` must not close the test's database connection after each call.
"""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

from asgiref.testing import ApplicationCommunicator


def _keep_connections() -> None:
    """Stands in for ``channels.db.close_old_connections`` while a test drives the consumer."""


class WebsocketClient(ApplicationCommunicator):  # type: ignore[misc]
    """Connect to an ASGI websocket application in-process, send and receive JSON frames."""

    def __init__(self, application: Any, path: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
        scope = {"type": "websocket", "path": path, "query_string": b"", "headers": headers or [], "subprotocols": []}
        super().__init__(application, scope)

    async def send_input(self, message: dict[str, Any]) -> None:
        with mock.patch("channels.db.close_old_connections", _keep_connections):
            await super().send_input(message)

    async def receive_output(self, timeout: float = 1) -> dict[str, Any]:
        with mock.patch("channels.db.close_old_connections", _keep_connections):
            return await super().receive_output(timeout)  # type: ignore[no-any-return]

    async def connect(self, timeout: float = 1) -> tuple[bool, Any]:
        """``(True, subprotocol)`` when accepted, ``(False, close code)`` when refused."""
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        if response["type"] == "websocket.close":
            return False, response.get("code", 1000)
        assert response["type"] == "websocket.accept", response
        return True, response.get("subprotocol")

    async def receive_json_from(self, timeout: float = 1) -> Any:
        response = await self.receive_output(timeout)
        assert response["type"] == "websocket.send", response
        assert "text" in response, response
        return json.loads(response["text"])

    async def disconnect(self, code: int = 1000, timeout: float = 1) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)
