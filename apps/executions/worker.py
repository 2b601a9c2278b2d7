"""Celery worker hooks: a (re)starting worker fails the runs it left behind, a stopping worker
tells its runs to end within WORKER_STOP_SECONDS, and the handlers Celery puts on the root and
task loggers mask the secrets of running executions."""

import contextlib
import os
import signal

from celery.signals import (
    after_setup_logger,
    after_setup_task_logger,
    worker_process_init,
    worker_ready,
    worker_shutting_down,
)
from celery.worker import state

from apps.core.log_masking import install_on_handlers
from apps.executions.engine.stopping import worker_stop_request
from apps.executions.services.lifecycle import execution_reap_worker

# Sent by the main process to the pool process running a run; Celery and billiard leave it free.
STOP_SIGNAL = signal.SIGUSR2
RUN_TASK = "executions.run_execution"


@worker_ready.connect
def fail_runs_left_by_this_worker(sender, **kwargs) -> None:
    execution_reap_worker(sender.hostname)


@worker_process_init.connect
def listen_for_the_worker_stopping(**kwargs) -> None:
    signal.signal(STOP_SIGNAL, lambda *_: worker_stop_request())


@worker_shutting_down.connect
def tell_runs_the_worker_is_stopping(**kwargs) -> None:
    """Start the stop countdown here (solo and thread pools run tasks in this process) and in
    every pool process running a run."""
    worker_stop_request()
    for request in list(state.active_requests):
        pid = request.worker_pid
        if request.name == RUN_TASK and pid and pid != os.getpid():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, STOP_SIGNAL)


@after_setup_logger.connect
@after_setup_task_logger.connect
def mask_run_secrets_in_worker_logs(sender=None, logger=None, **kwargs) -> None:
    if logger is not None:
        install_on_handlers(logger)
