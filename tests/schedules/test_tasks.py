"""The beat task: registered under the beat entry's name; launches and enqueues a real run."""

import json
from types import SimpleNamespace

import pytest
from django.db import OperationalError
from django_celery_beat.models import PeriodicTask

from apps.executions.models import Execution, ExecutionStatus
from apps.executions.tasks import run_execution
from apps.schedules.tasks import launch_scheduled
from tests.gateways.factories import GatewayFactory
from tests.schedules.factories import make_schedule
from toolkit_project.celery import app

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch) -> list[str]:
    """Execution ids handed to the executions queue (instead of Redis)."""
    calls: list[str] = []

    def apply_async(args, queue, **limits):
        assert queue == "executions"
        assert set(limits) == {"soft_time_limit", "time_limit"}
        calls.append(args[0])
        return SimpleNamespace(id=f"celery-{len(calls)}")

    monkeypatch.setattr(run_execution, "apply_async", apply_async)
    return calls


def test_the_beat_entry_names_a_registered_task_and_the_schedule_id(team, operator, book):
    app.loader.import_default_modules()

    schedule = make_schedule(book, operator)

    task = PeriodicTask.objects.get()
    assert task.task == "schedules.launch_scheduled" == launch_scheduled.name
    assert app.tasks[task.task].name == launch_scheduled.name
    assert (json.loads(task.args), json.loads(task.kwargs)) == ([schedule.pk], {})


def test_only_a_lost_database_connection_is_retried():
    assert launch_scheduled.autoretry_for == (OperationalError,)
    assert launch_scheduled.max_retries == 3


def test_the_task_launches_and_enqueues_a_run(
    team, operator, book, sent, django_capture_on_commit_callbacks
):
    gateway = GatewayFactory(team=team, base_url="http://plant-gw:8088")
    make_schedule(book, operator, parameters={"retries": 2, "note": "nightly"}, gateway=gateway)
    task = PeriodicTask.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        result = launch_scheduled.apply(args=json.loads(task.args), kwargs=json.loads(task.kwargs))

    execution = Execution.objects.get()
    assert result.successful() is True
    assert sent == [str(execution.pk)]
    assert (execution.status, execution.celery_task_id, execution.gateway) == (
        ExecutionStatus.QUEUED,
        "celery-1",
        gateway,
    )
    assert execution.parameters == {
        "gateway_url": "http://plant-gw:8088",
        "retries": 2,
        "note": "nightly",
    }


def test_a_refused_launch_does_not_fail_the_task(team, operator, book, sent):
    schedule = make_schedule(book, operator)
    book.enabled = False
    book.save()

    result = launch_scheduled.apply(args=[schedule.pk])

    schedule.refresh_from_db()
    assert result.successful() is True
    assert schedule.last_error == "Playbook 'Nightly check' is disabled; enable it to run it."
    assert sent == []
