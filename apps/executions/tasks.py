"""Celery tasks of executions: thin wrappers around services."""

import logging

from celery import shared_task

from apps.executions.engine.run import execution_run
from apps.executions.services.batch_dispatch import batch_advance_all
from apps.executions.services.dispatch import execution_dispatch_waiting
from apps.executions.services.launch_keys import launch_keys_prune
from apps.executions.services.lifecycle import execution_claim, execution_reap_stale
from apps.executions.services.retention import history_purge

logger = logging.getLogger(__name__)


@shared_task(name="executions.run_execution", bind=True, acks_late=True)
def run_execution(self, execution_id: str) -> None:
    """Claim a queued run and execute it; a no-op if it is not queued any more."""
    execution = execution_claim(
        execution_id, hostname=self.request.hostname or "", task_id=self.request.id or ""
    )
    if execution is None:
        logger.info("Execution %s not claimed (not queued, or its gateway is busy)", execution_id)
        return
    execution_run(execution)


@shared_task(name="executions.reap_stale_executions")
def reap_stale_executions() -> None:
    """Fail runs whose worker is gone."""
    execution_reap_stale()


@shared_task(name="executions.dispatch_queued_executions")
def dispatch_queued_executions() -> None:
    """Send queued runs the broker never received (it was down at launch) or may have lost,
    and the runs of batches with room for more (a hook lost with its process)."""
    execution_dispatch_waiting()
    batch_advance_all()


@shared_task(name="executions.prune_launch_keys")
def prune_launch_keys() -> None:
    """Delete launch Idempotency-Keys past their 24 h lifetime."""
    launch_keys_prune()


@shared_task(name="executions.apply_retention")
def apply_retention() -> None:
    """Remove runs, run files, login records and notification deliveries past their retention."""
    history_purge(dry_run=False)
