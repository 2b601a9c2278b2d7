"""Celery worker hooks: a (re)starting worker fails the runs it left behind."""

from celery.signals import worker_ready

from apps.executions.services.lifecycle import execution_reap_worker


@worker_ready.connect
def fail_runs_left_by_this_worker(sender, **kwargs) -> None:
    execution_reap_worker(sender.hostname)
