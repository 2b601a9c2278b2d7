"""Starting a batch's runs as its concurrency allows, and stopping it after a failure.

A batch's runs are created queued and held: not sent (``dispatched_at`` empty), so neither
the workers nor the run dispatcher see them. ``batch_advance`` runs when the batch is
launched, each time one of its runs ends (``lifecycle``), and from beat for every running
batch (the fail-safe for a hook lost with its process). Under the batch's row lock it counts
the runs started (sent, running or paused), marks the oldest held ones sent up to the limit
and sends them after commit, so no two callers start more than the limit. A started run then
waits in its gateway's queue as any other run.
"""

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.executions.batch_events import batch_notify
from apps.executions.control_channel import control_publish
from apps.executions.events import EventType, event_record
from apps.executions.models import (
    Batch,
    BatchPolicy,
    BatchStatus,
    Execution,
    ExecutionStatus,
)
from apps.executions.services.dispatch import execution_send_marked
from apps.executions.services.lifecycle import RUNNING_STATUSES, execution_finish

HELD = Q(status=ExecutionStatus.QUEUED, dispatched_at__isnull=True)
STARTED = Q(status__in=RUNNING_STATUSES) | Q(
    status=ExecutionStatus.QUEUED, dispatched_at__isnull=False
)
FAILED_STATUSES = (ExecutionStatus.FAILED, ExecutionStatus.ERROR)


def batch_advance(batch_id) -> int:
    """Apply the batch's policy and start as many held runs as it allows; how many."""
    with transaction.atomic():
        batch = Batch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status != BatchStatus.RUNNING:
            return 0
        runs = Execution.objects.filter(batch=batch)
        if batch.policy == BatchPolicy.STOP and not batch.stop_requested:
            _stop_after_failure(batch, runs)
        marked = [] if batch.stop_requested else _mark_next(batch, runs)
        batch_settle(batch)
    for execution_id, marked_at in marked:
        execution_send_marked(execution_id, marked_at=marked_at)
    return len(marked)


def batch_advance_all() -> int:
    """Advance every running batch (beat); how many runs were started."""
    running = Batch.objects.filter(status=BatchStatus.RUNNING).values_list("pk", flat=True)
    return sum(batch_advance(batch_id) for batch_id in running)


def _mark_next(batch: Batch, runs: QuerySet[Execution]) -> list:
    held = runs.filter(HELD).order_by("queued_at", "pk").values_list("pk", flat=True)
    if batch.concurrency is not None:
        free = batch.concurrency - runs.filter(STARTED).count()
        held = held[: max(free, 0)]
    chosen = list(held)
    now = timezone.now()
    Execution.objects.filter(pk__in=chosen).filter(HELD).update(dispatched_at=now)
    return [(execution_id, now) for execution_id in chosen]


def _stop_after_failure(batch: Batch, runs: QuerySet[Execution]) -> None:
    failed = (
        runs.filter(status__in=FAILED_STATUSES).select_related("gateway").order_by("finished_at")
    ).first()
    if failed is None:
        return
    where = failed.gateway.name if failed.gateway else str(failed.pk)
    batch_stop(batch, f"Stopped: the run on {where} ended {failed.status}.")


def batch_stop(batch: Batch, reason: str, *, cancel_running: bool | None = None) -> None:
    """Start no more runs: cancel the queued ones and (``cancel_running``, else the batch's
    setting) ask the running ones to cancel. Call inside a transaction holding the row."""
    batch.stop_requested, batch.status_reason = True, reason
    batch.save(update_fields=["stop_requested", "status_reason"])
    runs = Execution.objects.filter(batch=batch)
    for execution_id in runs.filter(status=ExecutionStatus.QUEUED).values_list("pk", flat=True):
        execution_finish(execution_id, ExecutionStatus.CANCELLED, reason)
    if cancel_running if cancel_running is not None else batch.cancel_running_on_stop:
        live = runs.filter(status__in=RUNNING_STATUSES, cancel_requested=False)
        for execution_id in live.values_list("pk", flat=True):
            _request_cancel(execution_id, reason)


def _request_cancel(execution_id, reason: str) -> None:
    Execution.objects.filter(pk=execution_id).update(cancel_requested=True)
    event_record(
        execution_id, EventType.CONTROL, {"command": "cancel", "by": "batch", "reason": reason}
    )
    transaction.on_commit(lambda: control_publish(execution_id, "cancel", by=None))


def batch_settle(batch: Batch) -> None:
    """Give a batch whose runs all ended its final status from each gateway's last run."""
    runs = Execution.objects.filter(batch=batch)
    if runs.filter(status__in=(*RUNNING_STATUSES, ExecutionStatus.QUEUED)).exists():
        return
    statuses = set(batch_last_runs(runs).values())
    if statuses <= {ExecutionStatus.COMPLETED}:
        batch.status = BatchStatus.COMPLETED
    elif statuses & set(FAILED_STATUSES):
        batch.status = BatchStatus.FAILED
    else:
        batch.status = BatchStatus.CANCELLED
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "finished_at"])
    batch_id, status = batch.pk, batch.status
    transaction.on_commit(lambda: batch_notify(batch_id, status))


def batch_last_runs(runs: QuerySet[Execution]) -> dict:
    """Each gateway's last run's status, keyed by gateway id (by run id for a gone gateway)."""
    last = {}
    for pk, gateway_id, status in runs.order_by("queued_at", "pk").values_list(
        "pk", "gateway_id", "status"
    ):
        last[gateway_id or pk] = status
    return last
