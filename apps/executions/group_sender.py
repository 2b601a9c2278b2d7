"""Send channel-layer group messages from synchronous code through one event loop per process.

``async_to_sync(layer.group_send)`` starts a thread and an event loop for every message, and
channels-redis opens a Redis connection per event loop, so each event of a run would pay for a
new connection. Here one daemon thread per process runs a loop for the whole life of the
process (a forked Celery worker child starts its own); callers wait for their message to be
handed to Redis, so messages leave in the order they were sent.
"""

import asyncio
import os
import threading
from typing import Any

from channels.layers import get_channel_layer

SEND_TIMEOUT_SECONDS = 5.0

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_pid: int | None = None


def group_send(group: str, message: dict[str, Any]) -> None:
    """Send ``message`` to ``group`` and wait until the layer has it (raises on failure)."""
    layer = get_channel_layer()
    if layer is None:
        return
    future = asyncio.run_coroutine_threadsafe(layer.group_send(group, message), _sender_loop())
    future.result(timeout=SEND_TIMEOUT_SECONDS)


def _sender_loop() -> asyncio.AbstractEventLoop:
    global _loop, _pid  # one loop per process, created on first use
    with _lock:
        if _loop is None or _pid != os.getpid():
            _loop, _pid = asyncio.new_event_loop(), os.getpid()
            thread = threading.Thread(
                target=_loop.run_forever, name="channel-layer-sender", daemon=True
            )
            thread.start()
        return _loop
