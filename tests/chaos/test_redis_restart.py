"""Redis (broker, channel layer, control channel) stopped and started again while a run runs.

The worker is started as ``make run`` starts it. It must outlive the outage, the run must end
(here it simply completes: its step never needed Redis), its events must be contiguous, and
the worker must take new runs afterwards.
"""

import time

import pytest

from apps.executions.services.launch import execution_start
from tests.chaos.checks import (
    assert_serves_pages,
    assert_settled,
    run_ended,
    step_running,
    tail,
)
from tests.executions.factories import HELLO_STEP, playbook

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NAP_THEN_LOG = """
    - id: nap
      name: Nap through the outage
      type: utility.sleep
      parameters: {seconds: 6}
    - id: after
      name: After the outage
      type: utility.log
      parameters: {message: Redis is back}
"""
OUTAGE_SECONDS = 3


def test_a_redis_restart_mid_run_keeps_the_worker_and_the_run_goes_on(
    redis_server, team, operator, stack
):
    worker, web = stack.worker_and_web()
    execution = execution_start(playbook(team, NAP_THEN_LOG), actor=operator)
    step_running(execution.pk, "nap")

    redis_server.stop()
    time.sleep(OUTAGE_SECONDS)  # the outage: the worker, web and the run carry on without Redis
    redis_server.start()

    done = run_ended(execution.pk)
    log = stack.log("worker")
    text = log.read_text()
    assert "Unrecoverable error" not in text, tail(log)
    control = [line for line in text.splitlines() if "Control channel of run" in line]
    assert len(control) == 2, control  # the outage began, the outage is over
    assert (done.status, done.status_reason) == ("completed", ""), tail(log)
    assert_settled(execution.pk)
    assert_serves_pages(web.url, operator, execution.pk)
    after = execution_start(playbook(team, HELLO_STEP), actor=operator)
    assert run_ended(after.pk, timeout=60).status == "completed", tail(log)
    assert worker.alive(), tail(log)
