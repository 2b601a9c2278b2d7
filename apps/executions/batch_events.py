"""Live messages of batches: their runs' status and step events, and the batch's own status,
sent to the Channels group ``batch-<uuid>`` that the batch page joins."""

import logging
from functools import lru_cache

from apps.executions.group_sender import group_send
from apps.executions.models import Execution

logger = logging.getLogger(__name__)


def batch_group(batch_id) -> str:
    return f"batch-{batch_id}"


@lru_cache(maxsize=4096)
def batch_of(execution_id) -> str | None:
    """The batch of a run (set when the run is created, never changed), or ``None``."""
    batch_id = Execution.objects.filter(pk=execution_id).values_list("batch_id", flat=True).first()
    return str(batch_id) if batch_id else None


def batch_forward(execution_id, message: dict) -> None:
    """Send a run's event to its batch's group too, when it has one."""
    batch_id = batch_of(str(execution_id))
    if batch_id is not None:
        group_send(batch_group(batch_id), {"type": "batch.event", "event": message})


def batch_notify(batch_id, status: str) -> None:
    """Tell the batch page the batch's status changed; best effort (the page reloads it)."""
    message = {"type": "batch.status", "batch_id": str(batch_id), "status": status}
    try:
        group_send(batch_group(batch_id), {"type": "batch.event", "event": message})
    except Exception as exc:  # noqa: BLE001 - live delivery only; the row is the truth
        logger.warning("Batch %s: status not sent live: %s", batch_id, exc)
