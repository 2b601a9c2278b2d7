"""Live browser frames: sent only while someone watches, never stored in the database.

Run pages register as viewers (a Redis counter per execution, refreshed while connected);
the browser publishes a JPEG to the execution's group only when the count is above zero, and
keeps the last frame in Redis for a page that joins late.
"""

import base64
import json

from apps.executions.control_channel import redis_client
from apps.executions.events import execution_group
from apps.executions.group_sender import group_send

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
    """Send one JPEG frame to the run's viewers and keep it as the last frame.

    ``width`` and ``height`` are the page's viewport in CSS pixels (the picture may be smaller);
    the run page maps a click on the picture to those.
    """
    frame = {"data": base64.b64encode(jpeg).decode(), "width": width, "height": height}
    redis_client().set(_frame_key(execution_id), json.dumps(frame), ex=LAST_FRAME_TTL_SECONDS)
    group_send(execution_group(execution_id), {"type": "execution.frame", "frame": frame})


def frame_last(execution_id) -> dict | None:
    """The last frame of a run (``data``: base64 JPEG, ``width``, ``height``), or ``None``."""
    value = redis_client().get(_frame_key(execution_id))
    return json.loads(value) if value else None
