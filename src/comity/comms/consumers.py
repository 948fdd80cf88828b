"""The websocket at ``/ws/comms/``: a signed-in user's pages hear that a message changed.

Each connection joins its user's group (``comms.events.user_group``). An event is forwarded only
after a fresh database read says the user may read the message now and the session the socket
was opened with still lives (``comms.recheck``): the publisher chose the readers at commit time,
and a relabelling, a nation leaving a group, a deactivation or a sign-out may have come since.
A user who may not read it gets nothing at all: no event, no count, no timing difference in
what reaches the browser. Nothing the browser sends is acted on.
"""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from comity.comms.events import user_group
from comity.comms.recheck import for_running_loop

#: Close code for a connection without a signed-in, active user (4000-4999 are the application's).
UNAUTHENTICATED = 4401


class CommsConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    """Server push only: joins the user's group and forwards the events the user may have."""

    user_id: int | None = None
    session_key: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            await self.close(code=UNAUTHENTICATED)
            return
        self.user_id = user.pk
        self.session_key = getattr(self.scope.get("session"), "session_key", None)
        await self.channel_layer.group_add(user_group(user.pk), self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.user_id is not None:
            await self.channel_layer.group_discard(user_group(self.user_id), self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """The browser has nothing to say here; whatever it sends is ignored."""

    async def may_forward(self, event: dict[str, Any]) -> bool:
        """The per-subscriber check: a fresh read of the user and the message, made together with
        the other subscribers' checks of the same event (``comms.recheck``)."""
        assert self.user_id is not None
        return await for_running_loop().may_read((self.user_id, self.session_key), int(event["message"]))

    async def comms_changed(self, event: dict[str, Any]) -> None:
        if self.user_id is not None and await self.may_forward(event):
            await self.send_json(
                {"type": "message", "message": int(event["message"]), "conversation": int(event["conversation"])}
            )
