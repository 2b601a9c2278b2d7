"""The only place that emits run events: persist first, then send after commit.

Every event is stored as an ``ExecutionEvent`` with the next per-execution ``seq`` and then,
once the transaction commits, sent to the Channels group ``execution-<uuid>`` (and status
changes also to the list group ``executions``). A page that missed a message re-reads the
stored events; the websocket is only the fast path.
"""

from typing import Any

from django.db import connection, transaction

from apps.executions.group_sender import group_send
from apps.executions.models import Execution, ExecutionEvent

LIST_GROUP = "executions"


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


def event_record(execution_id, event_type: str, payload: dict[str, Any]) -> ExecutionEvent:
    """Store an event with the next ``seq`` of its execution and send it after commit."""
    # Inside a caller's transaction no savepoint is needed: a failure here fails the caller too.
    with transaction.atomic(savepoint=False):
        seq = _next_seq(execution_id)
        event = ExecutionEvent.objects.create(
            execution_id=execution_id, seq=seq, type=event_type, payload=payload
        )
        message = event_message(event)
        transaction.on_commit(lambda: _send(execution_id, event_type, message))
    return event


def _next_seq(execution_id) -> int:
    """Take the execution's next ``seq`` in one statement (PostgreSQL, SQLite 3.35+).

    The UPDATE locks the execution row, so concurrent writers get distinct values.
    """
    table = connection.ops.quote_name(Execution._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_seq = last_seq + 1 WHERE id = %s RETURNING last_seq",  # noqa: S608 - the table name is the model's own
            [Execution._meta.pk.get_db_prep_value(execution_id, connection)],
        )
        row = cursor.fetchone()
    if row is None:
        raise Execution.DoesNotExist(f"Execution {execution_id} does not exist.")
    return row[0]


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
    group_send(execution_group(execution_id), {"type": "execution.event", "event": message})
    if event_type in (EventType.STATUS, EventType.FINISHED):
        group_send(LIST_GROUP, {"type": "executions.changed", "event": message})
