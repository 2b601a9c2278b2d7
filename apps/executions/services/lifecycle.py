"""State transitions of a run, written by the task, the engine and the reaper."""

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.core.database import survives_database_restart
from apps.executions.capabilities import run_queue
from apps.executions.event_store import RowChange
from apps.executions.events import EventType, event_record, events_flush
from apps.executions.models import (
    LIVE_STATUSES,
    Execution,
    ExecutionStatus,
    StepRun,
    StepStatus,
)
from apps.notifications.dispatch import notifications_run_finished

logger = logging.getLogger(__name__)
RUNNING_STATUSES = (ExecutionStatus.RUNNING, ExecutionStatus.PAUSED)
# The engine ends a run at its own timeout. Celery stops the task only if the engine did not:
# this long after that timeout (soft limit, an exception in the task), then the same again
# later (hard limit, the pool kills the process).
TASK_LIMIT_MARGIN_SECONDS = 60


def execution_claim(execution_id, *, hostname: str, task_id: str = "") -> Execution | None:
    """Move a queued run to running for this worker, or return ``None`` (and change nothing).

    ``None`` means: not queued any more (a redelivered message), or its gateway is busy with
    another run, in which case it stays queued and is dispatched when that run finishes.
    """
    with transaction.atomic():
        execution = Execution.objects.select_for_update().filter(pk=execution_id).first()
        if execution is None or execution.status != ExecutionStatus.QUEUED:
            return None
        if execution.cancel_requested:
            _finish(execution, ExecutionStatus.CANCELLED, "Cancelled before it started.")
            return None
        if _gateway_is_busy(execution):
            return None
        now = timezone.now()
        execution.status = ExecutionStatus.RUNNING
        execution.started_at = execution.heartbeat_at = now
        execution.worker_hostname, execution.celery_task_id = hostname, task_id
        execution.save(
            update_fields=[
                "status",
                "started_at",
                "heartbeat_at",
                "worker_hostname",
                "celery_task_id",
            ]
        )
        event_record(execution.pk, EventType.STATUS, {"status": "running", "worker": hostname})
    return execution


def _gateway_is_busy(execution: Execution) -> bool:
    from apps.gateways.models import Gateway

    if execution.gateway_id is None:
        return False
    # Locking the gateway row serialises claims for the same gateway.
    gateway = Gateway.objects.select_for_update().get(pk=execution.gateway_id)
    if gateway.allow_concurrent_runs:
        return False
    others = Execution.objects.filter(gateway=gateway, status__in=RUNNING_STATUSES)
    return others.exclude(pk=execution.pk).exists()


@survives_database_restart
def execution_set_status(execution_id, status: str, *, reason: str = "") -> None:
    """Switch a live run between running and paused (the engine's own transitions)."""
    events_flush(execution_id)  # before the row is locked: the run's writer updates it too
    with transaction.atomic():
        updated = Execution.objects.filter(pk=execution_id, status__in=RUNNING_STATUSES).update(
            status=status, status_reason=reason, pause_requested=status == ExecutionStatus.PAUSED
        )
        if updated:
            event_record(execution_id, EventType.STATUS, {"status": status, "reason": reason})


def execution_heartbeat(execution_id) -> dict[str, Any] | None:
    """Record that the engine is alive; return the row's requested state (or ``None``)."""
    Execution.objects.filter(pk=execution_id).update(heartbeat_at=timezone.now())
    return (
        Execution.objects.filter(pk=execution_id)
        .values("cancel_requested", "pause_requested", "debug", "finished_by_id")
        .first()
    )


@survives_database_restart
def execution_save_variables(execution_id, variables: dict) -> None:
    Execution.objects.filter(pk=execution_id).update(variables=variables)
    event_record(execution_id, EventType.VARIABLES, {"variables": variables})


@survives_database_restart
def step_update(step_run: StepRun, **changes: Any) -> StepRun:
    """Update one planned step in place and emit its new state (one write, see event_store)."""
    for name, value in changes.items():
        setattr(step_run, name, value)
    event_record(
        step_run.execution_id,
        EventType.STEP,
        step_payload(step_run),
        change=RowChange(StepRun, step_run.pk, changes),
    )
    return step_run


def step_payload(step_run: StepRun) -> dict[str, Any]:
    return {
        "path": step_run.path,
        "step_id": step_run.step_id,
        "name": step_run.name,
        "type": step_run.type,
        "status": step_run.status,
        "attempts": step_run.attempts,
        "outputs": step_run.outputs,
        "error": step_run.error,
        "started_at": step_run.started_at.isoformat() if step_run.started_at else None,
        "finished_at": step_run.finished_at.isoformat() if step_run.finished_at else None,
        "duration_seconds": step_run.duration_seconds,
    }


@survives_database_restart
def execution_finish(execution_id, status: str, reason: str = "") -> bool:
    """End a live run with a final status; ``False`` when it had already ended.

    What the run's engine queued is stored and sent first, so the end is its last event.
    """
    events_flush(execution_id)
    with transaction.atomic():
        execution = Execution.objects.select_for_update().filter(pk=execution_id).first()
        if execution is None or execution.status not in LIVE_STATUSES:
            return False
        _finish(execution, status, reason)
    return True


def _finish(execution: Execution, status: str, reason: str) -> None:
    execution.status, execution.status_reason = status, reason
    execution.finished_at = timezone.now()
    execution.pause_requested = False
    execution.save(update_fields=["status", "status_reason", "finished_at", "pause_requested"])
    _end_running_steps(execution, status, reason)
    by = execution.finished_by.get_username() if execution.finished_by_id else None
    event_record(execution.pk, EventType.FINISHED, {"status": status, "reason": reason, "by": by})
    execution_id = execution.pk
    transaction.on_commit(lambda: notifications_run_finished(execution_id))
    if execution.gateway_id is not None:
        gateway_id = execution.gateway_id
        transaction.on_commit(lambda: execution_dispatch_next(gateway_id))
    if execution.batch_id is not None:
        batch_id = execution.batch_id
        transaction.on_commit(lambda: batch_run_ended(batch_id))


def _end_running_steps(execution: Execution, status: str, reason: str) -> None:
    """End the steps still running with their run (one left by a lost worker, say), each change
    a stored event like the engine's, so open pages see it before the run's end."""
    running = StepRun.objects.filter(execution=execution, status=StepStatus.RUNNING)
    for step_run in running.order_by("-path"):  # a child step before the step that runs it
        changes: dict[str, Any] = {"finished_at": execution.finished_at}
        if status == ExecutionStatus.CANCELLED:
            changes["status"] = StepStatus.CANCELLED
        else:
            changes.update(status=StepStatus.FAILED, error=step_run.error or reason)
        step_update(step_run, **changes)


def execution_enqueue(execution_id) -> str:
    """Send a queued run to the workers; its task id.

    A run whose steps (its own or a literal child's) need a routed capability goes to that
    capability's queue (``STEP_CAPABILITY_QUEUES``); every other run to ``executions``.
    """
    from apps.executions.tasks import run_execution as run_execution_task

    types = StepRun.objects.filter(execution_id=execution_id).values_list("type", flat=True)
    queue = run_queue({"type": kind} for kind in types)
    timeout = Execution.objects.filter(pk=execution_id).values_list("timeout_seconds", flat=True)
    soft, hard = execution_task_limits(timeout.first() or settings.EXECUTION_TIMEOUT_SECONDS)
    return run_execution_task.apply_async(
        args=[str(execution_id)], queue=queue, soft_time_limit=soft, time_limit=hard
    ).id


def execution_task_limits(timeout_seconds: int) -> tuple[int, int]:
    """Celery's (soft, hard) time limits for the task of a run with this whole-run timeout.

    Sent with each message: a task left to Celery's defaults would be stopped after
    ``CELERY_TASK_SOFT_TIME_LIMIT`` (300 s), whatever the run's own timeout.
    """
    soft = min(timeout_seconds, settings.EXECUTION_MAX_SECONDS) + TASK_LIMIT_MARGIN_SECONDS
    return soft, soft + TASK_LIMIT_MARGIN_SECONDS


def execution_dispatch_next(gateway_id: int) -> None:
    """Send the oldest run waiting for a gateway that has just become free."""
    # Imported here: dispatch sends through this module's execution_enqueue.
    from apps.executions.services.dispatch import execution_send_waiting

    execution_send_waiting(gateway_id)


def batch_run_ended(batch_id) -> None:
    """Let a batch react to one of its runs ending: stop on a failure, start the next run."""
    # Imported here: the batch dispatcher sends through dispatch, which imports this module.
    from apps.executions.services.batch_dispatch import batch_advance

    batch_advance(batch_id)


def execution_reap_stale() -> int:
    """Fail live runs whose engine stopped heartbeating ("worker lost"); return how many."""
    limit = timezone.now() - timedelta(seconds=settings.EXECUTION_STALE_SECONDS)
    stale = Execution.objects.filter(status__in=RUNNING_STATUSES, heartbeat_at__lt=limit)
    count = 0
    for execution_id, heartbeat_at in stale.values_list("pk", "heartbeat_at"):
        reason = f"Worker lost: no heartbeat since {heartbeat_at.isoformat(timespec='seconds')}."
        count += execution_finish(execution_id, ExecutionStatus.ERROR, reason)
    return count


def execution_reap_worker(hostname: str) -> int:
    """On worker start-up, fail the runs a previous life of this worker left running."""
    owned = Execution.objects.filter(status__in=RUNNING_STATUSES, worker_hostname=hostname)
    count = 0
    for execution_id in owned.values_list("pk", flat=True):
        reason = f"Worker {hostname} restarted while the run was in progress."
        count += execution_finish(execution_id, ExecutionStatus.ERROR, reason)
    if count:
        logger.warning("Marked %d run(s) of %s as error after a restart", count, hostname)
    return count
