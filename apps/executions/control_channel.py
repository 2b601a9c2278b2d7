"""Control messages to the worker that runs an execution, over Redis pub/sub.

The database row holds the requested state (cancel, pause, debug); the message only makes the
owning worker react at once. A worker that missed a message catches up when it re-reads the
row at its next heartbeat.
"""

import functools
import json
import os
from typing import Any

import redis
from django.conf import settings


def control_channel_name(execution_id) -> str:
    return f"{settings.CHANNELS_PREFIX}:control:{execution_id}"


def redis_client() -> redis.Redis:
    """This process's client for ``REDIS_URL`` (its connection pool is reused, thread-safe)."""
    return _client(settings.REDIS_URL, os.getpid())


@functools.lru_cache(maxsize=4)
def _client(url: str, pid: int) -> redis.Redis:  # the pid: a forked child opens its own
    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)


def control_publish(execution_id, command: str, **data: Any) -> None:
    """Send one command (``cancel``, ``pause``, ``resume``, ``skip``, ``skip_back``, …)."""
    message = json.dumps({"command": command, **data})
    redis_client().publish(control_channel_name(execution_id), message)


def control_subscribe(execution_id) -> redis.client.PubSub:
    pubsub = redis_client().pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(control_channel_name(execution_id))
    return pubsub


def control_parse(message: dict | None) -> dict[str, Any] | None:
    if not message or message.get("type") != "message":
        return None
    try:
        data = json.loads(message["data"])
    except (TypeError, ValueError):
        return None
    return data if isinstance(data, dict) and "command" in data else None
