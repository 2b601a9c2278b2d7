"""A run lasts as long as its own whole-run timeout, not as long as Celery's default task limit.

Celery's default limits are scaled down (2 s soft, 3 s hard, standing in for the 300/360 s
defaults) in the worker and on the sending side, which writes a task's limits into its message;
runs outlive them when their own timeout allows, and end on that timeout otherwise.
"""

import time

import pytest
from rest_framework.test import APIClient

from apps.executions.models import Execution
from apps.executions.services import lifecycle
from apps.executions.services.launch import execution_start
from apps.executions.services.lifecycle import execution_task_limits
from apps.executions.tasks import run_execution
from tests.executions.factories import playbook

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SHORT_DEFAULT_LIMITS = {"CELERY_TASK_SOFT_TIME_LIMIT": "2", "CELERY_TASK_TIME_LIMIT": "3"}
NAP = """
    - id: nap
      name: Nap
      type: utility.sleep
      parameters: {{seconds: {seconds}}}
"""


@pytest.fixture
def short_default_limits(monkeypatch, celery_workers):
    """A worker, and a sender, whose default task limits are 2 s soft and 3 s hard."""
    # The sender resolves a task's unset soft limit to the configured default when it binds it.
    monkeypatch.setattr(run_execution, "soft_time_limit", 2)
    return celery_workers(env=SHORT_DEFAULT_LIMITS)


def finished(execution_id, timeout: float = 90) -> Execution:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = Execution.objects.get(pk=execution_id)
        if current.is_finished:
            return current
        time.sleep(0.1)
    raise AssertionError(f"run not finished; status {current.status} {current.status_reason}")


def test_a_run_outlives_the_default_task_limit_within_its_own_timeout(
    team, operator, short_default_limits
):
    book = playbook(team, NAP.format(seconds=5))

    execution = execution_start(book, actor=operator, timeout_seconds=60)
    done = finished(execution.pk)

    assert (done.status, done.status_reason) == ("completed", "")
    assert done.steps.get(step_id="nap").status == "completed"


def test_a_run_past_its_own_timeout_fails_with_the_timeout_as_reason(
    team, operator, short_default_limits
):
    book = playbook(team, NAP.format(seconds=60))

    execution = execution_start(book, actor=operator, timeout_seconds=5)
    done = finished(execution.pk)

    assert (done.status, done.status_reason) == ("failed", "Run timed out after 5 s.")
    nap = done.steps.get(step_id="nap")
    assert (nap.status, nap.error) == ("failed", "Run timed out after 5 s.")


RETRIED_NAP_IN_A_CHILD = """
    - id: call
      name: Call the child
      type: playbook.run
      retry_count: 2
      on_failure: continue
      parameters: {playbook: gateway/nap.yaml}
    - id: after
      name: After
      type: utility.log
      parameters: {message: after}
"""
RETRIED_NAP = """
    - id: nap
      name: Nap
      type: utility.sleep
      retry_count: 2
      on_failure: continue
      parameters: {seconds: 60}
"""


def test_the_task_soft_limit_inside_a_step_ends_the_run_as_timed_out(
    team, operator, monkeypatch, celery_workers
):
    """Celery's soft limit lands inside a step that outlived the engine's own timeout: the run
    ends there as timed out, the step is neither retried nor continued past, and no later step
    runs. Scaled down: the task's soft limit is 2 s, the run's timeout 30 s."""
    monkeypatch.setattr(lifecycle, "execution_task_limits", lambda timeout: (2, 60))
    celery_workers()
    playbook(team, RETRIED_NAP, path="gateway/nap.yaml")
    book = playbook(team, RETRIED_NAP_IN_A_CHILD)

    execution = execution_start(book, actor=operator, timeout_seconds=30)
    done = finished(execution.pk)

    assert (done.status, done.status_reason) == ("failed", "Run timed out after 30 s.")
    rows = {row.step_id: row for row in done.steps.all()}
    assert [(rows[s].status, rows[s].error, rows[s].attempts) for s in ("call", "nap")] == [
        ("failed", "Run timed out after 30 s.", 1),
        ("failed", "Run timed out after 30 s.", 1),
    ]
    assert rows["after"].status == "pending"
    assert not done.events.filter(type="log", payload__level="warning").exists()


def test_a_run_task_is_sent_with_limits_from_its_own_timeout(team, operator, monkeypatch):
    sent = []
    monkeypatch.setattr(run_execution, "apply_async", lambda **kw: sent.append(kw) or _Sent())

    execution_start(playbook(team, NAP.format(seconds=1)), actor=operator, timeout_seconds=600)

    assert (sent[0]["soft_time_limit"], sent[0]["time_limit"]) == (660, 720)


def test_task_limits_follow_the_timeout_up_to_the_longest_run_allowed(settings):
    settings.EXECUTION_MAX_SECONDS = 1000

    assert execution_task_limits(30) == (90, 150)
    assert execution_task_limits(5000) == (1060, 1120)


def test_a_timeout_beyond_the_longest_run_allowed_answers_400(team, operator, settings):
    settings.EXECUTION_MAX_SECONDS = 1000
    api = APIClient()
    api.force_authenticate(operator)
    book = playbook(team, NAP.format(seconds=1))

    response = api.post(
        "/api/v1/executions/", {"playbook": book.pk, "timeout_seconds": 1001}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["detail"] == (
        "timeout_seconds is 1001, longer than the longest run this installation allows "
        "(1000 s, EXECUTION_MAX_SECONDS); give at most 1000."
    )
    assert Execution.objects.count() == 0


class _Sent:
    id = "task-id"
