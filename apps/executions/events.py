"""The only place that emits run events: persist first, then send after commit.

Every event is stored as an ``ExecutionEvent`` with the next per-execution ``seq`` and then,
once the transaction commits, sent to the Channels group ``execution-<uuid>`` (and status
changes also to the list group ``executions``; status and step events of a batch's run also
to its batch's group, ``batch-<uuid>``). A page that missed a message re-reads the
stored events; the websocket is only the fast path.

While an engine runs a run (``events_batched``), that thread's events of the run are queued
to the run's writer (event_writer.py), stored in batches and sent as one ``execution.events``
message a batch; events written inside a transaction (a status with its row, an artifact with
its row) are stored at once, after what is queued (``events_flush``). Other writers (controls
from the web, the launch, the reaper) store each event at once, as one ``execution.event``.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from apps.core.database import survives_database_restart
from apps.core.outage import OutageLog
from apps.executions.batch_events import batch_forward
from apps.executions.event_store import NewEvent, RowChange, event_insert
from apps.executions.event_writer import EventWriter, events_batched, writer_for
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
) -> ExecutionEvent | None:
    """Store an event (with ``change``, atomically) and send it once the transaction commits.

    Returns the stored event, or ``None`` when it was queued to the run's writer.
    """
    writer = writer_for(execution_id)
    if writer is not None and not connection.in_atomic_block:
        writer.put(NewEvent(event_type, payload, change, timezone.now()))
        return None
    if writer is not None:
        writer.flush()
    event = event_insert(execution_id, event_type, payload, change)
    message = event_message(event)
    transaction.on_commit(lambda: _send(lambda: _deliver(execution_id, event_type, message)))
    return event


@contextmanager
def events_batching(execution_id) -> Iterator[EventWriter]:
    """Queue the events of ``execution_id`` recorded in this thread, stored in batches."""
    with events_batched(execution_id, _send_batch) as writer:
        yield writer


def events_flush(execution_id) -> None:
    """Store and send what this thread queued for ``execution_id`` (before a transaction that
    locks the run's row, which the writer would wait for)."""
    writer = writer_for(execution_id)
    if writer is not None:
        writer.flush()


def event_message(event: ExecutionEvent) -> dict[str, Any]:
    """The JSON a page receives for a stored event (also used for HTTP gap-filling)."""
    return {
        "execution_id": str(event.execution_id),
        "seq": event.seq,
        "type": event.type,
        "payload": event.payload,
        "created_at": event.created_at.isoformat(),
    }


def _send_batch(execution_id, events: list[ExecutionEvent]) -> None:
    """One message with the batch's events, in seq order; each also where ``_deliver`` sends it
    beyond the run's group."""
    messages = [event_message(event) for event in events]

    def deliver() -> None:
        group_send(execution_group(execution_id), {"type": "execution.events", "events": messages})
        for message in messages:
            _deliver_beyond_the_run(execution_id, message["type"], message)

    _send(deliver)


def _send(deliver: Callable[[], None]) -> None:
    """Live delivery, best effort: the events are stored whatever happens here."""
    try:
        deliver()
    except Exception as exc:  # noqa: BLE001
        if _live.ongoing:
            _live.failed(exc)
            return
        try:  # the first send after a Redis restart may meet a connection it dropped
            deliver()
        except Exception as again:  # noqa: BLE001
            _live.failed(again)
            return
    _live.succeeded()


def _deliver(execution_id, event_type: str, message: dict[str, Any]) -> None:
    group_send(execution_group(execution_id), {"type": "execution.event", "event": message})
    _deliver_beyond_the_run(execution_id, event_type, message)


def _deliver_beyond_the_run(execution_id, event_type: str, message: dict[str, Any]) -> None:
    """The list's group for status changes; the batch's group for status and step events."""
    if event_type in (EventType.STATUS, EventType.FINISHED):
        group_send(LIST_GROUP, {"type": "executions.changed", "event": message})
    if event_type in (EventType.STATUS, EventType.FINISHED, EventType.STEP):
        batch_forward(execution_id, message)
