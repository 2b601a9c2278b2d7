"""Live browser frames: sent only while someone watches, never stored in the database.

Run pages register as viewers (a Redis counter per execution, refreshed while connected);
the browser publishes a JPEG to the execution's group only when the count is above zero, and
keeps the last frame in Redis for a page that joins late.
"""

import base64

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from apps.executions.control_channel import redis_client
from apps.executions.events import execution_group

VIEWER_TTL_SECONDS = 60
LAST_FRAME_TTL_SECONDS = 300


def _viewers_key(execution_id) -> str:
    return f"toolkit:viewers:{execution_id}"


def _frame_key(execution_id) -> str:
    return f"toolkit:last-frame:{execution_id}"


def viewers_add(execution_id) -> None:
    client = redis_client()
    client.incr(_viewers_key(execution_id))
    client.expire(_viewers_key(execution_id), VIEWER_TTL_SECONDS)


def viewers_remove(execution_id) -> None:
    client = redis_client()
    if client.decr(_viewers_key(execution_id)) <= 0:
        client.delete(_viewers_key(execution_id))


def viewers_refresh(execution_id) -> None:
    redis_client().expire(_viewers_key(execution_id), VIEWER_TTL_SECONDS)


def viewers_count(execution_id) -> int:
    return int(redis_client().get(_viewers_key(execution_id)) or 0)


def frame_publish(execution_id, jpeg: bytes, *, width: int, height: int) -> None:
    """Send one JPEG frame to the run's viewers and keep it as the last frame."""
    data = base64.b64encode(jpeg).decode()
    redis_client().set(_frame_key(execution_id), data, ex=LAST_FRAME_TTL_SECONDS)
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(
            execution_group(execution_id),
            {"type": "execution.frame", "frame": {"data": data, "width": width, "height": height}},
        )


def frame_last(execution_id) -> str | None:
    """The last frame (base64 JPEG) of a run, for a page that joins late."""
    value = redis_client().get(_frame_key(execution_id))
    return value.decode() if value else None
