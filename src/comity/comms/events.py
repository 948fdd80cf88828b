"""Real-time events: after a message changes, a small event to each user who may read it.

The event says only "message N in conversation C changed" and goes, after the write commits, to
the group of each user the conversation reaches who may read the message at that moment. The
consumer (``comms.consumers``) re-checks access from a fresh database read before forwarding it,
so a relabelling between the send and the delivery still keeps the event from a user who lost
access; the page then fetches the message's HTML from the server, so user text stays text.
"""

from __future__ import annotations

import asyncio

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

#: The event type the consumer handles (``CommsConsumer.comms_changed``).
EVENT_TYPE = "comms.changed"


def user_group(user_id: int) -> str:
    """The channel-layer group of one user's open pages."""
    return f"comms.user.{user_id}"


def readers_now(message_id: int) -> list[int]:
    """The users the message's conversation reaches who may read the message now."""
    from comity.comms.delivery import conversation_readers
    from comity.comms.models import Message
    from comity.comms.recheck import readers_among

    message = Message.objects.select_related("conversation").filter(pk=message_id).first()
    if message is None:
        return []
    return sorted(readers_among(message_id, conversation_readers(message.conversation)))


def publish(message_id: int, conversation_id: int) -> None:
    """Send the event to every current reader's group (called after commit)."""
    layer = get_channel_layer()
    if layer is None:
        return
    event = {"type": EVENT_TYPE, "message": message_id, "conversation": conversation_id}
    groups = [user_group(user_id) for user_id in readers_now(message_id)]
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # the usual case: a request's thread, a command, a test
        for group in groups:
            async_to_sync(layer.group_send)(group, event)
        return
    # A thread that runs an event loop of its own (a script driving a browser that calls the
    # services, the demo loaded under Playwright): the sends go on that loop.
    for group in groups:
        task = loop.create_task(layer.group_send(group, event))
        _in_flight.add(task)
        task.add_done_callback(_in_flight.discard)


#: Sends scheduled on a caller's own event loop, kept until done (a task nobody holds may be collected).
_in_flight: set[asyncio.Task[None]] = set()


def publish_on_commit(message_id: int, conversation_id: int) -> None:
    """Publish once the current transaction commits (never for a write that is rolled back)."""
    transaction.on_commit(lambda: publish(message_id, conversation_id))
