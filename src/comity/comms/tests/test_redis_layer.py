"""With ``COMITY_REDIS_URL`` the events go through Redis, so a worker other than the publisher's
delivers them: a real ``redis-server`` on a free port, two layer instances as two workers."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from asgiref.sync import async_to_sync
from channels_redis.core import RedisChannelLayer

from comity.comms.events import EVENT_TYPE, user_group

REDIS_SERVER = "/usr/bin/redis-server"


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    work = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(work),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


def test_the_settings_choose_redis_when_told() -> None:
    code = "import json, comity.settings.base as s; print(json.dumps(s.CHANNEL_LAYERS))"
    env = {**os.environ, "COMITY_REDIS_URL": "redis://cache.example:6379/2"}
    layers = json.loads(
        subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    )
    assert layers["default"] == {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": ["redis://cache.example:6379/2"]},
    }
    env.pop("COMITY_REDIS_URL")
    layers = json.loads(
        subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    )
    assert layers["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"


def test_an_event_published_in_one_worker_reaches_a_socket_held_by_another(redis_url: str) -> None:
    async def scenario() -> None:
        holder, publisher = RedisChannelLayer(hosts=[redis_url]), RedisChannelLayer(hosts=[redis_url])
        channel = await holder.new_channel()
        await holder.group_add(user_group(7), channel)
        event = {"type": EVENT_TYPE, "message": 3, "conversation": 2}
        await publisher.group_send(user_group(7), event)
        await publisher.group_send(user_group(8), {**event, "message": 4})  # someone else's group
        assert await holder.receive(channel) == event
        with pytest.raises(asyncio.TimeoutError):  # the other group's event is not this socket's
            await asyncio.wait_for(holder.receive(channel), timeout=0.3)
        await holder.group_discard(user_group(7), channel)
        await holder.flush()
        await holder.close_pools()
        await publisher.close_pools()

    async_to_sync(scenario)()
