"""Real-time delivery over the websocket (channels' ``WebsocketCommunicator``, in-memory layer).

Each scenario runs in an event loop that ``async_to_sync`` starts in another thread; the
consumer's database reads come back to the test's thread (``database_sync_to_async`` is thread
sensitive), so they read the test's transaction, and they run only once the test's own database
step has returned. That makes the race deterministic: a message sent and then relabelled in one
step has its event queued before the relabel and checked after it, as a slow delivery would be.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.test import Client

from comity.comms import services
from comity.comms.consumers import CommsConsumer
from comity.comms.events import EVENT_TYPE, user_group
from comity.comms.models import Message
from comity.comms.testing import WebsocketClient as WebsocketCommunicator
from comity.comms.tests.helpers import NLD_FIN, People, label, make_people, start
from comity.core.models import User

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def people() -> People:
    return make_people("rt")


async def _listen(user: User) -> WebsocketCommunicator:
    """A consumer connected for ``user`` (the scope's user set as AuthMiddleware would)."""
    communicator = WebsocketCommunicator(CommsConsumer.as_asgi(), "/ws/comms/")
    communicator.scope["user"] = user
    connected, _ = await communicator.connect()
    assert connected
    return communicator


def _committed(capture: Capture, write: Callable[[], Any]) -> Any:
    """Run ``write`` and then its after-commit callbacks, as a real commit would."""
    with capture(execute=True):
        return write()


def test_the_reader_gets_the_event_and_the_outsider_nothing(
    people: People, django_capture_on_commit_callbacks: Capture
) -> None:
    conversation = start(people.nld, [people.fin]).conversation

    async def scenario() -> None:
        reader, outsider = await _listen(people.fin), await _listen(people.ukr)
        message = await database_sync_to_async(_committed)(
            django_capture_on_commit_callbacks,
            lambda: services.message_send(
                acting_user=people.nld, conversation=conversation, body="Now", label=label(NLD_FIN)
            ),
        )
        assert await reader.receive_json_from(timeout=2) == {
            "type": "message",
            "message": message.pk,
            "conversation": conversation.pk,
        }
        assert await outsider.receive_nothing(timeout=0.3)
        await reader.disconnect()
        await outsider.disconnect()

    async_to_sync(scenario)()


def test_a_relabel_before_delivery_keeps_the_event_from_who_lost_access(
    people: People, django_capture_on_commit_callbacks: Capture
) -> None:
    conversation = start(people.nld, [people.fin]).conversation

    def send_then_relabel() -> Message:
        message = _committed(
            django_capture_on_commit_callbacks,
            lambda: services.message_send(
                acting_user=people.nld, conversation=conversation, body="Soon secret", label=label(NLD_FIN)
            ),
        )
        # The event for FIN is queued now; before the consumer checks it, the message goes up.
        _committed(
            django_capture_on_commit_callbacks,
            lambda: services.message_relabel(
                acting_user=people.nld, message=message, label=label("NATO SECRET REL TO FIN, NLD")
            ),
        )
        return message  # type: ignore[no-any-return]

    async def scenario() -> None:
        fin, nld = await _listen(people.fin), await _listen(people.nld)
        message = await database_sync_to_async(send_then_relabel)()
        assert await fin.receive_nothing(timeout=0.5)  # not the send's event, not the relabel's
        # The author's pages hear both changes.
        assert [(await nld.receive_json_from(timeout=2))["message"] for _ in range(2)] == [message.pk, message.pk]
        await fin.disconnect()
        await nld.disconnect()

    async_to_sync(scenario)()


def test_the_consumer_forwards_nothing_the_subscriber_may_not_read(people: People) -> None:
    """Even an event a publisher sent wrongly (to a user who may not read it) stops at the check."""
    hidden = start(people.nld, [people.viewer], marking="NATO SECRET REL TO NLD", subject="NLD only")

    async def scenario() -> None:
        fin = await _listen(people.fin)
        layer = get_channel_layer()
        event = {"type": EVENT_TYPE, "message": hidden.pk, "conversation": hidden.conversation_id}
        await layer.group_send(user_group(people.fin.pk), event)
        await layer.group_send(user_group(people.fin.pk), {**event, "message": 10**12})
        assert await fin.receive_nothing(timeout=0.3)
        await fin.disconnect()

    async_to_sync(scenario)()


def test_a_deactivated_user_hears_nothing_more(people: People, django_capture_on_commit_callbacks: Capture) -> None:
    conversation = start(people.nld, [people.fin]).conversation

    def deactivate_then_send() -> None:
        User.objects.filter(pk=people.fin.pk).update(is_active=False)
        _committed(
            django_capture_on_commit_callbacks,
            lambda: services.message_send(
                acting_user=people.nld, conversation=conversation, body="After", label=label(NLD_FIN)
            ),
        )
        # A stale event as well: the fresh read of the user refuses it.
        layer = get_channel_layer()
        last = Message.objects.latest("pk")
        async_to_sync(layer.group_send)(
            user_group(people.fin.pk), {"type": EVENT_TYPE, "message": last.pk, "conversation": conversation.pk}
        )

    async def scenario() -> None:
        fin = await _listen(people.fin)
        await database_sync_to_async(deactivate_then_send)()
        assert await fin.receive_nothing(timeout=0.3)
        await fin.disconnect()

    async_to_sync(scenario)()


def test_the_site_application_needs_a_session_and_an_allowed_origin(people: People) -> None:
    from comity.asgi import application

    client = Client()
    client.force_login(people.fin)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()

    async def attempt(headers: list[tuple[bytes, bytes]]) -> bool:
        communicator = WebsocketCommunicator(application, "/ws/comms/", headers=headers)
        connected, _ = await communicator.connect()
        await communicator.disconnect()
        return connected

    async def scenario() -> None:
        origin = (b"origin", b"http://localhost")
        assert await attempt([(b"cookie", cookie), origin])
        assert not await attempt([origin])  # no session: closed
        assert not await attempt([(b"cookie", cookie), (b"origin", b"http://evil.example")])

    async_to_sync(scenario)()


def test_a_socket_hears_nothing_once_its_session_is_signed_out(
    people: People, django_capture_on_commit_callbacks: Capture
) -> None:
    from comity.asgi import application

    conversation = start(people.nld, [people.fin]).conversation
    client = Client()
    client.force_login(people.fin)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()

    def send(body: str) -> Message:
        return _committed(  # type: ignore[no-any-return]
            django_capture_on_commit_callbacks,
            lambda: services.message_send(
                acting_user=people.nld, conversation=conversation, body=body, label=label(NLD_FIN)
            ),
        )

    async def scenario() -> None:
        socket = WebsocketCommunicator(
            application, "/ws/comms/", headers=[(b"cookie", cookie), (b"origin", b"http://localhost")]
        )
        assert (await socket.connect())[0]
        first = await database_sync_to_async(send)("Before")
        assert (await socket.receive_json_from(timeout=2))["message"] == first.pk
        await database_sync_to_async(client.logout)()
        await database_sync_to_async(send)("After")
        assert await socket.receive_nothing(timeout=0.3)
        await socket.disconnect()

    async_to_sync(scenario)()
