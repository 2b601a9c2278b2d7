"""A worker told to stop (SIGTERM to its main process) ends its runs within WORKER_STOP_SECONDS.

A step that ends within the bound ends as usual; one still running at the bound is failed by
the engine with "worker stopping", so no run is left running for the reaper.
"""

import time

import pytest

from apps.executions.models import Execution, ExecutionEvent
from apps.executions.services.launch import execution_start
from tests.executions.factories import playbook

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NAP = """
    - id: nap
      name: Nap
      type: utility.sleep
      parameters: {{seconds: {seconds}}}
"""


def step_running(execution_id, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Execution.objects.get(pk=execution_id).steps.filter(status="running").exists():
            return
        time.sleep(0.1)
    raise AssertionError("the step never started")


def stored_seqs(execution_id) -> list[int]:
    events = ExecutionEvent.objects.filter(execution_id=execution_id).order_by("seq")
    return list(events.values_list("seq", flat=True))


def test_a_stopping_worker_fails_a_step_still_running_at_the_bound(team, operator, celery_workers):
    worker = celery_workers(env={"WORKER_STOP_SECONDS": "2"})
    execution = execution_start(playbook(team, NAP.format(seconds=300)), actor=operator)
    step_running(execution.pk)

    exit_code = worker.stop_main(timeout=30)

    done = Execution.objects.get(pk=execution.pk)
    assert exit_code == 0
    assert done.status == "error"
    assert done.status_reason.startswith("Worker stopping:")
    nap = done.steps.get(step_id="nap")
    assert (nap.status, nap.error) == ("failed", "Worker stopping.")
    seqs = stored_seqs(execution.pk)
    assert seqs == list(range(1, len(seqs) + 1))
    last = ExecutionEvent.objects.get(execution_id=execution.pk, seq=seqs[-1])
    assert (last.type, last.payload["reason"]) == ("execution.finished", done.status_reason)


def test_a_stopping_worker_lets_a_step_end_within_the_bound(team, operator, celery_workers):
    worker = celery_workers(env={"WORKER_STOP_SECONDS": "60"})
    execution = execution_start(playbook(team, NAP.format(seconds=3)), actor=operator)
    step_running(execution.pk)

    exit_code = worker.stop_main(timeout=30)

    done = Execution.objects.get(pk=execution.pk)
    assert exit_code == 0
    assert (done.status, done.status_reason) == ("completed", "")
