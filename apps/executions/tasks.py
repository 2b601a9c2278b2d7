"""Celery tasks of executions: thin wrappers around services."""

import logging

from celery import shared_task

from apps.executions.engine.run import execution_run
from apps.executions.services.lifecycle import (
    execution_claim,
    execution_dispatch_waiting,
    execution_reap_stale,
)

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
    """Fail runs whose worker is gone; re-dispatch runs still waiting for a worker."""
    execution_reap_stale()
    execution_dispatch_waiting()
