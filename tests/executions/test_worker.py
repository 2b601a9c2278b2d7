"""Runs through real Celery workers: launch, per-gateway queueing, redelivery, reaping."""

import os
import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.executions.models import Execution
from apps.executions.selectors import execution_queue_position
from apps.executions.services.launch import execution_start
from apps.executions.services.lifecycle import execution_claim, execution_reap_stale
from tests.executions.factories import playbook
from tests.gateways.factories import GatewayFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NAP = """
    - id: nap
      name: Nap
      type: utility.sleep
      parameters: {{seconds: {seconds}}}
"""


def wait_until(execution_id, predicate, timeout: float = 60) -> Execution:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = Execution.objects.get(pk=execution_id)
        if predicate(current):
            return current
        time.sleep(0.05)
    raise AssertionError(f"condition not reached; status {current.status} {current.status_reason}")


def test_a_launched_run_is_claimed_and_finished_by_a_worker(team, operator, celery_workers):
    worker = celery_workers()

    execution = execution_start(playbook(team, NAP.format(seconds=0.1)), actor=operator)
    finished = wait_until(execution.pk, lambda e: e.is_finished)

    assert finished.status == "completed"
    assert finished.worker_hostname.startswith(f"{worker.name}@")
    assert finished.celery_task_id != ""
    assert execution_claim(execution.pk, hostname="again@host") is None


def test_runs_on_one_gateway_wait_for_each_other(team, operator, celery_workers):
    celery_workers(concurrency=2)
    gateway = GatewayFactory(team=team)
    book = playbook(team, NAP.format(seconds=1))

    first = execution_start(book, actor=operator, gateway=gateway)
    wait_until(first.pk, lambda e: e.status == "running")
    second = execution_start(book, actor=operator, gateway=gateway)
    time.sleep(0.5)
    waiting = Execution.objects.get(pk=second.pk)
    first_done = wait_until(first.pk, lambda e: e.is_finished)
    second_done = wait_until(second.pk, lambda e: e.is_finished)

    assert waiting.status == "queued"
    assert execution_queue_position(waiting) == 1
    assert (first_done.status, second_done.status) == ("completed", "completed")
    assert second_done.started_at >= first_done.finished_at


def test_gateways_that_allow_concurrency_run_side_by_side(team, operator, celery_workers):
    celery_workers(concurrency=2)
    gateway = GatewayFactory(team=team, allow_concurrent_runs=True)
    book = playbook(team, NAP.format(seconds=1.5))

    runs = [execution_start(book, actor=operator, gateway=gateway) for _ in range(2)]
    both = [wait_until(run.pk, lambda e: e.status == "running") for run in runs]
    done = [wait_until(run.pk, lambda e: e.is_finished) for run in runs]

    assert [run.status for run in both] == ["running", "running"]
    assert [run.status for run in done] == ["completed", "completed"]


def test_a_killed_worker_leaves_a_run_that_its_restart_marks_as_error(
    team, operator, celery_workers
):
    worker = celery_workers(name="pytest-reaped")
    execution = execution_start(playbook(team, NAP.format(seconds=60)), actor=operator)
    wait_until(execution.pk, lambda e: e.status == "running")

    os.killpg(worker.process.pid, signal.SIGKILL)
    worker.process.wait()
    still = Execution.objects.get(pk=execution.pk)
    celery_workers(name="pytest-reaped")
    reaped = wait_until(execution.pk, lambda e: e.is_finished)

    assert still.status == "running"
    assert reaped.status == "error"
    assert reaped.status_reason.startswith("Worker pytest-reaped@")
    assert reaped.status_reason.endswith("restarted while the run was in progress.")


def test_runs_without_a_heartbeat_are_reaped_as_worker_lost(team, operator):
    execution = execution_start(playbook(team, NAP.format(seconds=1)), actor=operator)
    claimed = execution_claim(execution.pk, hostname="gone@host")
    stale_at = timezone.now() - timedelta(minutes=5)
    Execution.objects.filter(pk=claimed.pk).update(heartbeat_at=stale_at)

    assert execution_reap_stale() == 1

    reaped = Execution.objects.get(pk=execution.pk)
    assert reaped.status == "error"
    assert (
        reaped.status_reason
        == f"Worker lost: no heartbeat since {stale_at.isoformat(timespec='seconds')}."
    )
    assert execution_reap_stale() == 0
