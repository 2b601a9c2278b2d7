"""Beat down for a while, and Redis down at launch: the run is kept queued (201) and is sent to
the worker once beat is back (its dispatcher sends queued runs the broker never received)."""

import time

import pytest
from rest_framework.test import APIClient

from apps.executions.models import Execution
from tests.chaos.checks import (
    assert_serves_pages,
    assert_settled,
    eventually,
    run_ended,
    tail,
)
from tests.executions.factories import HELLO_STEP, playbook

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
BEAT_DOWN_SECONDS = 3


def test_a_run_launched_in_an_outage_is_dispatched_once_beat_is_back(
    redis_server, team, operator, stack
):
    worker, web = stack.worker_and_web()
    api = APIClient()
    api.force_authenticate(operator)

    redis_server.stop()
    response = api.post("/api/v1/executions/", {"playbook": playbook(team, HELLO_STEP).pk})
    redis_server.start()
    assert response.status_code == 201, response.content
    execution_id = response.json()["id"]
    eventually(worker.answers, "the worker connected to Redis again")
    time.sleep(BEAT_DOWN_SECONDS)  # no beat: nothing sends the run meanwhile
    waiting = Execution.objects.get(pk=execution_id)
    assert (waiting.status, waiting.dispatched_at) == ("queued", None)

    stack.beat()

    done = run_ended(execution_id, timeout=60)
    assert (done.status, done.status_reason) == ("completed", ""), tail(stack.log("beat"))
    assert_settled(execution_id)
    assert_serves_pages(web.url, operator, execution_id)
