"""A worker killed with SIGKILL mid-step (an OOM kill, a crash): when it starts again it ends
the run it left ``error`` with a reason, its running step failed, and takes new runs."""

import pytest

from apps.executions.services.launch import execution_start
from tests.chaos.checks import assert_serves_pages, assert_settled, run_ended, step_running, tail
from tests.executions.factories import HELLO_STEP, playbook

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LONG_NAP = """
    - id: nap
      name: Long nap
      type: utility.sleep
      parameters: {seconds: 300}
"""


def test_a_worker_killed_mid_step_ends_its_run_error_when_it_starts_again(
    redis_server, team, operator, stack
):
    worker, web = stack.worker_and_web()
    execution = execution_start(playbook(team, LONG_NAP), actor=operator)
    step_running(execution.pk, "nap")

    worker.kill()  # main process and pool at once
    stack.worker()  # its supervisor (make run, systemd, the container) starts it again

    done = run_ended(execution.pk, timeout=60)
    reason = f"Worker {done.worker_hostname} restarted while the run was in progress."
    assert (done.status, done.status_reason) == ("error", reason), tail(stack.log("worker"))
    nap = done.steps.get(step_id="nap")
    assert (nap.status, nap.error) == ("failed", reason)
    assert_settled(execution.pk)
    assert_serves_pages(web.url, operator, execution.pk)
    after = execution_start(playbook(team, HELLO_STEP), actor=operator)
    assert run_ended(after.pk, timeout=60).status == "completed", tail(stack.log("worker"))
