"""The gateway (the simulator) dies while a step waits for its answer: the step fails with the
reason, the run fails with it, and nothing is left running."""

import httpx
import pytest

from apps.executions.services.launch import execution_start
from tests.chaos.checks import assert_serves_pages, assert_settled, run_ended, step_running, tail
from tests.executions.factories import playbook

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

READ_INFO = """
    - id: info
      name: Read the gateway's info
      type: gateway.get_info
    - id: after
      name: Never reached
      type: utility.log
      parameters: {message: never}
"""
PARAMETERS = """
- name: gateway_url
  type: string
"""


def test_the_gateway_dying_mid_step_fails_the_step_and_the_run_with_the_reason(
    redis_server, team, operator, stack
):
    simulator = stack.simulator()
    hang = {"route": "/system/gwinfo", "kind": "hang", "seconds": 120}
    httpx.post(f"{simulator.url}/__sim/fault", json=hang, timeout=5).raise_for_status()
    _, web = stack.worker_and_web()
    book = playbook(team, READ_INFO, parameters=PARAMETERS)
    execution = execution_start(book, actor=operator, parameters={"gateway_url": simulator.url})
    step_running(execution.pk, "info")

    simulator.kill()

    done = run_ended(execution.pk, timeout=90)
    assert done.status == "failed", tail(stack.log("worker"))
    assert done.status_reason.startswith("Step 'info' failed: GET /system/gwinfo "), done
    assert "could not connect" in done.status_reason or "lost the connection" in done.status_reason
    info = done.steps.get(step_id="info")
    assert info.status == "failed"
    assert done.status_reason.endswith(info.error)
    assert done.steps.get(step_id="after").status == "pending"
    assert_settled(execution.pk)
    assert_serves_pages(web.url, operator, execution.pk)
