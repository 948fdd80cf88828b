"""Benchmark of comms' websocket fan-out: one message to N subscribers, with and without the
per-subscriber label check.

    python bench/ws_fanout_bench.py            # 1,000 subscribers, 20 messages
    python bench/ws_fanout_bench.py --quick    # 1,000 subscribers, 2 messages (about half a minute)

In one process, on a throwaway SQLite database with the shipped security policies and registry:
N users of mixed nations and clearances (half of them may read the message) take part in one
conversation, and each has a consumer connected in-process (asgiref's ``ApplicationCommunicator``
through ``comms.testing.WebsocketClient``, on the in-memory channel layer: no network, no
Redis, no uvicorn). A message's event is published to every subscriber's group as
``comms.events.publish`` does, and the time from the start of the publish to each subscriber's
frame is its delivery time; a subscriber who may not read it must get nothing. The same run
with a consumer that forwards without the check (``may_forward`` always true, every subscriber
gets the frame) is the control. The ratio printed compares the p50 and p99 delivery times of the
readers (the same subscribers in both runs); the goal is under 2x. The subscribers and labels
are synthetic (this measures fan-out, not content).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

GOAL = 2.0
NATIONS = ("NLD", "FIN", "UKR", "AUT", "DEU", "POL")
CLEARANCES = ("SECRET", "RESTRICTED", None)


def _setup(subscribers: int) -> tuple[list[Any], Any, Any]:
    """The database: policies, registry, N users with clearances, one conversation of them all."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from comity.comms.content import store_body
    from comity.comms.models import Conversation, Message
    from comity.core.labels import label_from_marking
    from comity.core.models import Classification, Clearance, SecurityPolicy, User
    from comity.core.services import policies_load
    from comity.registry.services import registry_load

    policies_load(acting_user=None)
    registry_load(acting_user=None)
    nato = SecurityPolicy.objects.get(name="NATO")
    levels = {c.name: c for c in Classification.objects.filter(policy=nato)}
    users = User.objects.bulk_create(
        [User(username=f"fanout{i}", nationality=NATIONS[i % len(NATIONS)]) for i in range(subscribers)]
    )
    Clearance.objects.bulk_create(
        [
            Clearance(user=user, policy=nato, classification=levels[level])
            for i, user in enumerate(users)
            if (level := CLEARANCES[i % len(CLEARANCES)]) is not None
        ]
    )
    conversation = Conversation.objects.create(subject="Fan-out", label=label_from_marking("PUBLIC"), owner="NLD")
    conversation.members.set(users)
    # Readable to the RESTRICTED and SECRET users of NATO nations (NLD, DEU, POL, FIN): about half.
    message = Message(conversation=conversation, label=label_from_marking("NATO RESTRICTED REL TO NATO"), owner="NLD")
    store_body(message, "Fan-out benchmark message.")
    message.save()
    return users, conversation, message


async def _round(users: list[Any], readers: set[int], conversation: Any, message: Any, *, checked: bool) -> list[float]:
    """Connect a consumer per user, publish one event to every group, and return the readers'
    delivery times; checked, a subscriber who may not read the message must get no frame."""
    from channels.layers import get_channel_layer

    from comity.comms.consumers import CommsConsumer
    from comity.comms.events import EVENT_TYPE, user_group
    from comity.comms.testing import WebsocketClient

    class Unchecked(CommsConsumer):
        async def may_forward(self, event: dict[str, Any]) -> bool:
            return True

    consumer = (CommsConsumer if checked else Unchecked).as_asgi()
    clients = {}
    for user in users:
        client = WebsocketClient(consumer, "/ws/comms/")
        client.scope["user"] = user
        connected, _ = await client.connect(timeout=30)
        assert connected
        clients[user.pk] = client
    layer = get_channel_layer()
    event = {"type": EVENT_TYPE, "message": message.pk, "conversation": conversation.pk}
    start = time.perf_counter()

    async def arrival(client: WebsocketClient) -> float:
        await client.receive_json_from(timeout=60)
        return time.perf_counter() - start

    waiting = {user_id: asyncio.ensure_future(arrival(client)) for user_id, client in clients.items()}
    for user in users:
        await layer.group_send(user_group(user.pk), event)
    await asyncio.gather(*(waiting[user_id] for user_id in readers))
    others = [future for user_id, future in waiting.items() if user_id not in readers]
    if checked:
        await asyncio.sleep(0.2)  # time for a stray frame to show
        assert not any(future.done() for future in others), "a subscriber who may not read it got a frame"
        for future in others:
            future.cancel()
        await asyncio.gather(*others, return_exceptions=True)
    else:
        await asyncio.gather(*others)
    for client in clients.values():
        await client.disconnect(timeout=30)
    return [waiting[user_id].result() for user_id in readers]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 subscribers, 2 messages")
    parser.add_argument("--subscribers", type=int)
    parser.add_argument("--messages", type=int)
    args = parser.parse_args()
    subscribers = args.subscribers or 1000
    messages = args.messages or (2 if args.quick else 20)
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "comity.settings.base",
                "COMITY_DATA_DIR": data_dir,
                "COMITY_DATABASE_URL": f"sqlite:///{data_dir}/bench.sqlite3",
            }
        )
        os.environ.pop("COMITY_REDIS_URL", None)
        users, conversation, message = _setup(subscribers)
        from asgiref.sync import async_to_sync

        from comity.comms.recheck import readers_among

        readers = readers_among(message.pk, [u.pk for u in users])
        results: dict[bool, list[float]] = {True: [], False: []}
        for _ in range(messages):
            for checked in (False, True):
                results[checked] += async_to_sync(_round)(users, readers, conversation, message, checked=checked)
    plain, checked_times = results[False], results[True]
    print(
        f"subscribers {subscribers}, of whom may read {len(readers)}; messages {messages} (in-process, in-memory layer)"
    )
    print(f"{'':<22} {'p50':>9} {'p99':>9}")
    for name, values in (("without label check", plain), ("with label check", checked_times)):
        print(f"{name:<22} {_percentile(values, 50) * 1000:>7.1f}ms {_percentile(values, 99) * 1000:>7.1f}ms")
    ratio50 = _percentile(checked_times, 50) / _percentile(plain, 50)
    ratio99 = _percentile(checked_times, 99) / _percentile(plain, 99)
    verdict = "within" if max(ratio50, ratio99) < GOAL else "above"
    print(f"ratio (with / without): p50 {ratio50:.2f}x, p99 {ratio99:.2f}x ({verdict} the {GOAL:g}x goal)")
    print(f"median of all: {statistics.median(checked_times) * 1000:.1f}ms vs {statistics.median(plain) * 1000:.1f}ms")


if __name__ == "__main__":
    main()
