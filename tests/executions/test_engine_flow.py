"""Between-step controls and run-time planning, run in this process."""

import pytest

from apps.executions.models import Execution
from apps.executions.services.control import execution_cancel, execution_resume, execution_skip
from apps.executions.services.dispatch import execution_dispatch_waiting
from apps.executions.services.launch import execution_start
from apps.executions.services.lifecycle import execution_claim, execution_reap_worker
from tests.executions.factories import playbook
from tests.executions.fixtures import InProcessRun

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TWO_LOGS = """
    - id: one
      name: One
      type: utility.log
      parameters: {message: one}
    - id: two
      name: Two
      type: utility.log
      parameters: {message: two}
"""


def paused_before_start(team, operator):
    """A run paused while queued: it starts paused, before its first step."""
    execution = execution_start(playbook(team, TWO_LOGS), actor=operator)
    Execution.objects.filter(pk=execution.pk).update(pause_requested=True)
    run = InProcessRun(execution)
    run.wait_for(lambda e: e.status == "paused")
    return run


def test_a_run_paused_before_its_first_step_waits_then_resumes(team, operator):
    run = paused_before_start(team, operator)

    execution_resume(run.execution, actor=operator)
    execution = run.wait()

    assert execution.status == "completed"
    assert execution.steps.filter(status="completed").count() == 2


def test_skip_while_paused_between_steps_skips_the_next_step(team, operator):
    run = paused_before_start(team, operator)

    execution_skip(run.execution, actor=operator)
    execution = run.wait()

    assert dict(execution.steps.values_list("step_id", "status")) == {
        "one": "skipped",
        "two": "completed",
    }


def test_skip_back_while_paused_before_the_first_step_just_runs_it(team, operator):
    run = paused_before_start(team, operator)

    execution_skip(run.execution, actor=operator, back=True)
    execution = run.wait()

    assert execution.status == "completed"
    assert execution.events.filter(payload__level="warning").count() == 1


def test_cancel_while_paused_between_steps(team, operator):
    run = paused_before_start(team, operator)

    execution_cancel(run.execution, actor=operator)
    execution = run.wait()

    assert (execution.status, execution.status_reason) == (
        "cancelled",
        "Cancelled by oscar-operator.",
    )
    assert execution.steps.filter(status="pending").count() == 2


def test_a_cancel_requested_before_the_claim_ends_the_run(team, operator):
    execution = execution_start(playbook(team, TWO_LOGS), actor=operator)
    Execution.objects.filter(pk=execution.pk).update(cancel_requested=True)

    assert execution_claim(execution.pk, hostname="w@h") is None

    execution.refresh_from_db()
    assert (execution.status, execution.status_reason) == (
        "cancelled",
        "Cancelled before it started.",
    )


def test_templated_children_are_planned_when_their_step_starts(team, operator, run_in_process):
    playbook(team, TWO_LOGS, path="gateway/child.yaml")
    parent = playbook(
        team,
        """
        - id: call
          name: Call
          type: playbook.run
          parameters: {playbook: "{{ parameter.child }}"}
    """,
        parameters="""
        - name: child
          type: string
          default: gateway/child.yaml
    """,
    )

    run = run_in_process(parent)
    planned = run.execution.steps.count()
    execution = run.wait()

    assert planned == 1
    assert list(execution.steps.order_by("position").values_list("path", "status")) == [
        ("0", "completed"),
        ("0.0", "completed"),
        ("0.1", "completed"),
    ]


def test_a_restarted_worker_fails_the_runs_it_owned(team, operator):
    execution = execution_start(playbook(team, TWO_LOGS), actor=operator)
    execution_claim(execution.pk, hostname="w1@host")

    assert execution_reap_worker("w2@host") == 0
    assert execution_reap_worker("w1@host") == 1

    execution.refresh_from_db()
    assert execution.status_reason == "Worker w1@host restarted while the run was in progress."


def test_waiting_runs_are_dispatched_again(team, operator):
    execution = execution_start(playbook(team, TWO_LOGS), actor=operator)

    assert execution_dispatch_waiting(older_than_seconds=3600) == 0
    assert execution_dispatch_waiting(older_than_seconds=-1) == 1

    execution_cancel(execution, actor=operator)
