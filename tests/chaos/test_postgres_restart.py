"""PostgreSQL restarted while a run runs: the worker, the run's engine and web reconnect.

The database is a private server (a copy of the test database); a fast shutdown ends every
open connection, as a restart or a failover does.
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
      name: Nap through the restart
      type: utility.sleep
      parameters: {seconds: 6}
    - id: after
      name: After the restart
      type: utility.log
      parameters: {message: the database is back}
"""
OUTAGE_SECONDS = 3


def test_a_postgres_restart_mid_run_keeps_the_worker_and_the_run_goes_on(
    postgres_server, team, operator, stack
):
    worker, web = stack.worker_and_web()
    execution = execution_start(playbook(team, NAP_THEN_LOG), actor=operator)
    step_running(execution.pk, "nap")

    postgres_server.stop()
    time.sleep(OUTAGE_SECONDS)  # the outage: heartbeats and pages fail meanwhile
    postgres_server.start()

    done = run_ended(execution.pk)
    log = stack.log("worker")
    assert (done.status, done.status_reason) == ("completed", ""), tail(log)
    told = [line for line in log.read_text().splitlines() if " unavailable: " in line]
    assert 1 <= len(told) <= 2, told  # the run's writes, maybe its heartbeat: once each
    assert_settled(execution.pk)
    assert_serves_pages(web.url, operator, execution.pk)
    after = execution_start(playbook(team, HELLO_STEP), actor=operator)
    assert run_ended(after.pk, timeout=60).status == "completed", tail(log)
    assert worker.alive(), tail(log)
