"""Handing queued runs to the broker: at launch, then from beat for any it never received.

Contract: a launch commits its run first and sends the message after commit. When the broker
is unreachable the run stays queued with no ``dispatched_at`` and the launch still succeeds;
``execution_dispatch_waiting`` (beat, every few seconds) sends it once the broker is back.
The row is marked sent with a conditional update before sending, so of two dispatchers racing
for one run only one sends; a duplicate that still reaches a worker (a publish confirmed too
late) is refused by ``execution_claim``.
"""

import logging
from datetime import datetime, timedelta

import redis.exceptions
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from apps.core.outage import OutageLog
from apps.executions.models import Execution, ExecutionStatus
from apps.executions.services.lifecycle import execution_enqueue

logger = logging.getLogger(__name__)
BROKER_ERRORS = (
    OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    OSError,
)


def _broker_log() -> OutageLog:
    """During an outage every launch and every beat tick fails to send: logged as one outage."""
    return OutageLog(
        logger, "Broker (Redis)", meanwhile="Queued runs wait and are sent when it is back."
    )


_broker = _broker_log()


def execution_send(execution_id) -> bool:
    """Send a just-launched run to the workers; ``False`` (logged, not raised) when the broker
    is unreachable or another dispatcher already sent it."""
    try:
        return _send(execution_id, sent_at=None)
    except BROKER_ERRORS as exc:
        _broker.failed(exc)
        return False


def execution_dispatch_waiting(*, older_than_seconds: int = 30) -> int:
    """Send the queued runs the broker never received, and again those sent more than
    ``older_than_seconds`` ago that no worker has claimed (their message may be lost, or their
    gateway was busy); return how many were sent. Stops at the first broker failure. A batch's
    runs never sent wait for their batch's turn (``batch_dispatch``), not for this."""
    limit = timezone.now() - timedelta(seconds=older_than_seconds)
    waiting = Execution.objects.filter(status=ExecutionStatus.QUEUED).filter(
        Q(dispatched_at__isnull=True, batch__isnull=True) | Q(dispatched_at__lt=limit)
    )
    count = 0
    for execution_id, sent_at in waiting.order_by("queued_at").values_list("pk", "dispatched_at"):
        try:
            count += _send(execution_id, sent_at=sent_at)
        except BROKER_ERRORS as exc:
            _broker.failed(exc)
            break
    return count


def execution_send_waiting(gateway_id: int) -> bool:
    """Send the oldest run queued behind ``gateway_id`` (sent before, so it is marked again);
    ``False`` (logged, not raised) when there is none or the broker is unreachable."""
    waiting = (
        Execution.objects.filter(gateway_id=gateway_id, status=ExecutionStatus.QUEUED)
        .exclude(batch__isnull=False, dispatched_at__isnull=True)  # held by its batch
        .order_by("queued_at")
        .values_list("pk", "dispatched_at")
        .first()
    )
    if waiting is None:
        return False
    try:
        return _send(waiting[0], sent_at=waiting[1])
    except BROKER_ERRORS as exc:
        _broker.failed(exc)
        return False


def execution_send_marked(execution_id, *, marked_at: datetime) -> bool:
    """Send a run its caller already marked sent at ``marked_at`` (under its own lock); on a
    broker failure the mark is undone and ``False`` returned (logged, not raised)."""
    try:
        return _send(execution_id, sent_at=marked_at)
    except BROKER_ERRORS as exc:
        _broker.failed(exc)
        return False


def _send(execution_id, *, sent_at: datetime | None) -> bool:
    """Mark the run sent (only if still queued and last sent at ``sent_at``), then send it; on a
    broker error undo the mark, so the dispatcher tries again, and re-raise."""
    now = timezone.now()
    mine = Execution.objects.filter(
        pk=execution_id, status=ExecutionStatus.QUEUED, dispatched_at=sent_at
    ).update(dispatched_at=now)
    if not mine:
        return False
    try:
        task_id = execution_enqueue(execution_id)
    except BROKER_ERRORS:
        Execution.objects.filter(pk=execution_id, dispatched_at=now).update(dispatched_at=None)
        raise
    _broker.succeeded()
    Execution.objects.filter(pk=execution_id, celery_task_id="").update(celery_task_id=task_id)
    return True
