"""Celery worker hooks: a (re)starting worker fails the runs it left behind, and the handlers
Celery puts on the root and task loggers mask the secrets of running executions."""

from celery.signals import after_setup_logger, after_setup_task_logger, worker_ready

from apps.executions.engine.log_masking import install_on_handlers
from apps.executions.services.lifecycle import execution_reap_worker


@worker_ready.connect
def fail_runs_left_by_this_worker(sender, **kwargs) -> None:
    execution_reap_worker(sender.hostname)


@after_setup_logger.connect
@after_setup_task_logger.connect
def mask_run_secrets_in_worker_logs(sender=None, logger=None, **kwargs) -> None:
    if logger is not None:
        install_on_handlers(logger)
