"""Send channel-layer group messages from synchronous code through one event loop per process.

``async_to_sync(layer.group_send)`` starts a thread and an event loop for every message, and
channels-redis opens a Redis connection per event loop, so each event of a run would pay for a
new connection. Here one daemon thread per process runs a loop for the whole life of the
process (a forked Celery worker child starts its own). ``group_send`` only queues the message
and returns: the run does not wait for Redis. One coroutine sends the queue in order, so
messages leave in the order they were queued; ``group_send_flush`` waits until all have left
(the engine calls it when a run ends, and it runs at interpreter exit).
"""

import asyncio
import atexit
import logging
import os
import threading
from typing import Any

from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)
SEND_TIMEOUT_SECONDS = 5.0

_lock = threading.Lock()
_sender: tuple[asyncio.AbstractEventLoop, asyncio.Queue] | None = None
_pid: int | None = None


def group_send(group: str, message: dict[str, Any]) -> None:
    """Queue ``message`` for ``group``; it is sent after every message queued before it."""
    layer = get_channel_layer()
    if layer is None:
        return
    loop, outbox = _sender_loop()
    loop.call_soon_threadsafe(outbox.put_nowait, (layer, group, message))


def group_send_flush(timeout: float = SEND_TIMEOUT_SECONDS) -> bool:
    """Wait until every queued message has been handed to the layer; ``False`` on timeout."""
    sender = _sender if _pid == os.getpid() else None
    if sender is None:
        return True
    loop, outbox = sender
    try:
        asyncio.run_coroutine_threadsafe(outbox.join(), loop).result(timeout=timeout)
    except TimeoutError:
        logger.warning("Live messages still queued after %s s", timeout)
        return False
    return True


def _sender_loop() -> tuple[asyncio.AbstractEventLoop, asyncio.Queue]:
    global _sender, _pid  # one loop per process, created on first use
    with _lock:
        if _sender is None or _pid != os.getpid():
            loop = asyncio.new_event_loop()
            outbox = asyncio.Queue()
            threading.Thread(
                target=_run, args=(loop, outbox), name="group-sender", daemon=True
            ).start()
            _sender, _pid = (loop, outbox), os.getpid()
        return _sender


def _run(loop: asyncio.AbstractEventLoop, outbox: asyncio.Queue) -> None:
    asyncio.set_event_loop(loop)
    loop.create_task(_send_in_order(outbox))
    loop.run_forever()


async def _send_in_order(outbox: asyncio.Queue) -> None:
    while True:
        layer, group, message = await outbox.get()
        try:
            await asyncio.wait_for(layer.group_send(group, message), SEND_TIMEOUT_SECONDS)
        except Exception:  # noqa: BLE001 - the event is stored; live delivery is best effort
            logger.warning("Could not send %s to %s", message.get("type"), group)
        finally:
            outbox.task_done()


atexit.register(group_send_flush)
