"""The only place that emits run events: persist first, then send after commit.

Every event is stored as an ``ExecutionEvent`` with the next per-execution ``seq`` and then,
once the transaction commits, sent to the Channels group ``execution-<uuid>`` (and status
changes also to the list group ``executions``; status and step events of a batch's run also
to its batch's group, ``batch-<uuid>``). A page that missed a message re-reads the
stored events; the websocket is only the fast path.
"""

import logging
from typing import Any

from django.db import transaction

from apps.core.database import survives_database_restart
from apps.core.outage import OutageLog
from apps.executions.batch_events import batch_forward
from apps.executions.event_store import RowChange, event_insert
from apps.executions.group_sender import group_send
from apps.executions.models import ExecutionEvent

logger = logging.getLogger(__name__)

LIST_GROUP = "executions"
_live = OutageLog(
    logger,
    "Live events (Redis channel layer)",
    meanwhile="Events are stored; open pages fill the gap when it is back.",
)


class EventType:
    STATUS = "execution.status"
    FINISHED = "execution.finished"
    STEP = "step.status"
    LOG = "log"
    VARIABLES = "variables"
    CONTROL = "control"
    DEBUG = "debug.context"
    ARTIFACT = "artifact.created"


def execution_group(execution_id) -> str:
    return f"execution-{execution_id}"


@survives_database_restart
def event_record(
    execution_id, event_type: str, payload: dict[str, Any], *, change: RowChange | None = None
) -> ExecutionEvent:
    """Store an event (with ``change``, atomically) and send it once the transaction commits."""
    event = event_insert(execution_id, event_type, payload, change)
    message = event_message(event)
    transaction.on_commit(lambda: _send(execution_id, event_type, message))
    return event


def event_message(event: ExecutionEvent) -> dict[str, Any]:
    """The JSON a page receives for a stored event (also used for HTTP gap-filling)."""
    return {
        "execution_id": str(event.execution_id),
        "seq": event.seq,
        "type": event.type,
        "payload": event.payload,
        "created_at": event.created_at.isoformat(),
    }


def _send(execution_id, event_type: str, message: dict[str, Any]) -> None:
    """Live delivery, best effort: the event is stored whatever happens here."""
    try:
        _deliver(execution_id, event_type, message)
    except Exception as exc:  # noqa: BLE001
        if _live.ongoing:
            _live.failed(exc)
            return
        try:  # the first send after a Redis restart may meet a connection it dropped
            _deliver(execution_id, event_type, message)
        except Exception as again:  # noqa: BLE001
            _live.failed(again)
            return
    _live.succeeded()


def _deliver(execution_id, event_type: str, message: dict[str, Any]) -> None:
    group_send(execution_group(execution_id), {"type": "execution.event", "event": message})
    if event_type in (EventType.STATUS, EventType.FINISHED):
        group_send(LIST_GROUP, {"type": "executions.changed", "event": message})
    if event_type in (EventType.STATUS, EventType.FINISHED, EventType.STEP):
        batch_forward(execution_id, message)
