"""A launch while the broker is unreachable is kept and sent once the broker is back.

The broker is made unreachable by pointing the Celery app at a closed port (fresh connection
pools), so the real kombu/redis client fails the way it does in an outage.
"""

import logging

import pytest
from rest_framework.test import APIClient

from apps.core.outage import OutageLog
from apps.executions import launch_rate, tasks
from apps.executions.models import Execution
from apps.executions.services import dispatch
from apps.executions.services.lifecycle import execution_claim
from tests.executions.factories import HELLO_STEP, playbook
from toolkit_project.celery import app as celery_app

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CLOSED_BROKER = "redis://127.0.0.1:1/0"


def _fresh_pools(monkeypatch) -> None:
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)


@pytest.fixture
def executions_queue():
    """The broker's ``executions`` queue, emptied before and after the test."""
    with celery_app.connection_for_write() as connection:
        channel = connection.default_channel
        channel.queue_purge("executions")
        yield channel
        channel.queue_purge("executions")


@pytest.fixture
def broker_down(monkeypatch):
    """Make the broker unreachable; calling the result brings it back."""
    real_url = celery_app.conf.broker_url
    monkeypatch.setattr(celery_app.conf, "broker_url", CLOSED_BROKER)
    _fresh_pools(monkeypatch)

    def restore() -> None:
        celery_app.conf.broker_url = real_url
        _fresh_pools(monkeypatch)

    return restore


def _messages(channel) -> list[str]:
    """The run ids of the messages waiting in the queue (taking them off it)."""
    ids = []
    while (message := channel.basic_get("executions", no_ack=True)) is not None:
        ids.append(message.decode()[0][0])
    return ids


def test_a_launch_during_an_outage_answers_201_and_keeps_one_queued_run(
    team, operator, executions_queue, broker_down
):
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(operator)

    response = api.post("/api/v1/executions/", {"playbook": playbook(team, HELLO_STEP).pk})

    assert response.status_code == 201
    execution = Execution.objects.get()
    assert response.json()["id"] == str(execution.pk)
    assert (execution.status, execution.dispatched_at, execution.celery_task_id) == (
        "queued",
        None,
        "",
    )


def test_the_dispatcher_sends_an_undelivered_run_once_the_broker_is_back(
    team, operator, executions_queue, broker_down
):
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(operator)
    api.post("/api/v1/executions/", {"playbook": playbook(team, HELLO_STEP).pk})
    tasks.dispatch_queued_executions()  # still down: sends nothing, raises nothing
    execution = Execution.objects.get()
    assert execution.dispatched_at is None

    broker_down()  # the broker is back
    tasks.dispatch_queued_executions()
    tasks.dispatch_queued_executions()

    assert _messages(executions_queue) == [str(execution.pk)]
    execution.refresh_from_db()
    assert execution.dispatched_at is not None
    assert execution.celery_task_id != ""
    assert execution_claim(execution.pk, hostname="w1@host") is not None
    assert execution_claim(execution.pk, hostname="w2@host") is None


def test_a_launch_with_the_broker_up_is_sent_once(team, operator, executions_queue):
    api = APIClient()
    api.force_authenticate(operator)

    response = api.post("/api/v1/executions/", {"playbook": playbook(team, HELLO_STEP).pk})
    tasks.dispatch_queued_executions()

    assert response.status_code == 201
    assert _messages(executions_queue) == [response.json()["id"]]
    assert Execution.objects.get().dispatched_at is not None


def test_an_outage_is_logged_as_one_warning_line_not_one_per_launch(
    team, operator, executions_queue, broker_down, monkeypatch, caplog
):
    monkeypatch.setattr(dispatch, "_broker", dispatch._broker_log())  # no outage before
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(operator)
    book = playbook(team, HELLO_STEP)

    statuses = [api.post("/api/v1/executions/", {"playbook": book.pk}).status_code for _ in "ab"]
    tasks.dispatch_queued_executions()

    assert statuses == [201, 201]
    warnings = [r for r in caplog.records if r.name == dispatch.logger.name]
    assert [(r.levelname, r.getMessage().count("\n")) for r in warnings] == [("WARNING", 0)]
    assert warnings[0].getMessage().startswith("Broker (Redis) unavailable: OperationalError: ")


def test_a_run_already_sent_is_not_sent_again_by_a_racing_dispatcher(
    team, operator, executions_queue
):
    api = APIClient()
    api.force_authenticate(operator)
    run_id = api.post("/api/v1/executions/", {"playbook": playbook(team, HELLO_STEP).pk}).json()[
        "id"
    ]

    assert dispatch.execution_send(run_id) is False
    assert _messages(executions_queue) == [run_id]


def test_a_launch_while_all_of_redis_is_down_answers_201_uncounted(
    team, operator, executions_queue, broker_down, settings, monkeypatch, caplog
):
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": CLOSED_BROKER}}
    logger = logging.getLogger("apps.executions.launch_rate")
    fresh = OutageLog(logger, "Launch rate limit")
    monkeypatch.setattr(launch_rate, "_cache", fresh, raising=False)
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(operator)
    book = playbook(team, HELLO_STEP)

    statuses = [api.post("/api/v1/executions/", {"playbook": book.pk}).status_code for _ in "ab"]

    assert statuses == [201, 201]
    assert Execution.objects.filter(status="queued", dispatched_at=None).count() == 2
    told = [r.getMessage() for r in caplog.records if r.name == logger.name]
    assert len(told) == 1
    assert told[0].startswith("Launch rate limit unavailable: ConnectionError: ")
