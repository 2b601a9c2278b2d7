"""Controls land inside a running step: cancel, pause/resume, skip, skip back, debug."""

import pytest

from apps.core.errors import ConflictError, PermissionDeniedError
from apps.executions.models import Execution
from apps.executions.services.control import (
    execution_cancel,
    execution_command,
    execution_pause,
    execution_resume,
    execution_set_debug,
    execution_skip,
)
from apps.executions.services.launch import execution_start
from tests.executions.factories import playbook

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SLEEP_THEN_LOG = """
    - id: first
      name: First
      type: utility.log
      parameters: {message: one}
    - id: nap
      name: Nap
      type: utility.sleep
      parameters: {seconds: 60}
    - id: last
      name: Last
      type: utility.log
      parameters: {message: done}
"""


def step_status(run, step_id) -> str:
    return run.execution.steps.get(step_id=step_id).status


def running(step_id):
    return lambda execution: execution.steps.get(step_id=step_id).status == "running"


def test_cancel_mid_sleep_ends_the_run_cancelled_by_the_user(team, operator, run_in_process):
    run = run_in_process(playbook(team, SLEEP_THEN_LOG))
    run.wait_for(running("nap"))

    execution_cancel(run.execution, actor=operator)
    execution = run.wait()

    assert (execution.status, execution.status_reason) == (
        "cancelled",
        "Cancelled by oscar-operator.",
    )
    assert execution.finished_by == operator
    assert [step_status(run, s) for s in ("first", "nap", "last")] == [
        "completed",
        "cancelled",
        "pending",
    ]
    finished = execution.events.get(type="execution.finished")
    assert finished.payload == {
        "status": "cancelled",
        "reason": "Cancelled by oscar-operator.",
        "by": "oscar-operator",
    }
    assert finished.seq == execution.last_seq


def test_pause_inside_a_sleep_then_resume_completes(team, operator, run_in_process):
    run = run_in_process(playbook(team, SLEEP_THEN_LOG.replace("60", "0.5")))
    run.wait_for(running("nap"))

    execution_pause(run.execution, actor=operator)
    paused = run.wait_for(lambda e: e.status == "paused")
    with pytest.raises(ConflictError, match="The run is already paused."):
        execution_pause(run.execution, actor=operator)
    execution_resume(run.execution, actor=operator)
    execution = run.wait()

    assert paused.status_reason == "Paused by request."
    assert execution.status == "completed"
    statuses = list(
        execution.events.filter(type="execution.status").values_list("payload__status", flat=True)
    )
    assert statuses == ["queued", "running", "paused", "running"]


def test_resume_of_a_run_that_is_not_paused_is_refused(team, operator, run_in_process):
    run = run_in_process(playbook(team, SLEEP_THEN_LOG))
    run.wait_for(running("nap"))

    with pytest.raises(ConflictError, match="The run is not paused."):
        execution_resume(run.execution, actor=operator)

    execution_cancel(run.execution, actor=operator)
    run.wait()


def test_skip_ends_the_running_step_and_goes_on(team, operator, run_in_process):
    run = run_in_process(playbook(team, SLEEP_THEN_LOG))
    run.wait_for(running("nap"))

    execution_skip(run.execution, actor=operator)
    execution = run.wait()

    assert execution.status == "completed"
    assert [step_status(run, s) for s in ("first", "nap", "last")] == [
        "completed",
        "skipped",
        "completed",
    ]
    assert run.execution.steps.get(step_id="nap").error == "Skipped by request."


def test_skip_back_reruns_the_previous_step_without_duplicating_rows(
    team, operator, run_in_process
):
    run = run_in_process(playbook(team, SLEEP_THEN_LOG.replace("60", "1")))
    run.wait_for(running("nap"))

    execution_skip(run.execution, actor=operator, back=True)
    execution = run.wait()

    assert execution.status == "completed"
    steps = list(execution.steps.order_by("position").values_list("step_id", "status", "attempts"))
    assert steps == [("first", "completed", 1), ("nap", "completed", 1), ("last", "completed", 1)]
    first_runs = execution.events.filter(
        type="step.status", payload__step_id="first", payload__status="running"
    )
    assert first_runs.count() == 2


def test_skip_back_at_the_first_step_reruns_it_and_says_so(team, operator, run_in_process):
    run = run_in_process(
        playbook(team, SLEEP_THEN_LOG.replace("60", "0.3")[SLEEP_THEN_LOG.index("    - id: nap") :])
    )
    run.wait_for(running("nap"))

    execution_skip(run.execution, actor=operator, back=True)
    execution = run.wait()

    assert execution.status == "completed"
    warning = execution.events.get(type="log", payload__level="warning").payload
    assert warning == {
        "level": "warning",
        "message": "Already at the first step: nothing to go back to.",
        "path": "",
    }


def test_debug_mode_pauses_on_failure_and_skip_moves_past_it(team, operator, run_in_process):
    book = playbook(
        team,
        """
        - id: broken
          name: Broken
          type: utility.sleep
          retry_count: 3
          timeout: 0.05
          parameters: {seconds: 5}
        - id: middle
          name: Middle
          type: utility.log
          parameters: {message: between}
        - id: last
          name: Last
          type: utility.log
          parameters: {message: done}
    """,
    )
    run = run_in_process(book, debug=True)

    paused = run.wait_for(lambda e: e.status == "paused")
    execution_resume(run.execution, actor=operator)
    run.wait_for(lambda e: e.status == "paused" and e.steps.get(step_id="broken").attempts == 2)
    execution_skip(run.execution, actor=operator)
    stepped = run.wait_for(
        lambda e: e.status == "paused" and e.steps.get(step_id="middle").status == "completed"
    )
    execution_set_debug(run.execution, actor=operator, enabled=False)
    execution_resume(run.execution, actor=operator)
    execution = run.wait()

    assert (
        paused.status_reason == "Debug: step 'broken' failed. Resume to run it again, or skip it."
    )
    assert execution.status == "completed"
    assert stepped.status_reason == "Debug: paused after step 'middle'."
    assert [step_status(run, s) for s in ("broken", "middle", "last")] == [
        "failed",
        "completed",
        "completed",
    ]
    debug = execution.artifacts.filter(kind="debug").order_by("id").first()
    assert debug.name == "debug-0.json"
    assert execution.events.filter(type="debug.context").count() == 2


def test_controls_on_a_finished_run_are_refused(team, operator, run_in_process):
    run = run_in_process(playbook(team, SLEEP_THEN_LOG.replace("60", "0")))
    execution = run.wait()

    for control in (execution_cancel, execution_pause, execution_resume, execution_skip):
        with pytest.raises(ConflictError, match=r"the run already ended \(completed\)\."):
            control(execution, actor=operator)
    with pytest.raises(ConflictError) as raised:
        execution_command(execution, actor=operator, command="browser.click", x=1, y=2)
    assert raised.value.status == 409
    assert Execution.objects.get(pk=execution.pk).cancel_requested is False


def test_cancelling_a_queued_run_ends_it_at_once(team, operator):
    execution = execution_start(playbook(team, SLEEP_THEN_LOG), actor=operator)

    execution_cancel(execution, actor=operator)

    execution.refresh_from_db()
    assert (execution.status, execution.status_reason) == (
        "cancelled",
        "Cancelled by oscar-operator.",
    )
    with pytest.raises(ConflictError, match="Cannot skip: the run has not started."):
        execution_skip(
            Execution.objects.create(
                team=team, playbook_version=execution.playbook_version, playbook_name="x"
            ),
            actor=operator,
        )


def test_viewers_cannot_control_runs(team, viewer, operator):
    execution = execution_start(playbook(team, SLEEP_THEN_LOG), actor=operator)

    with pytest.raises(PermissionDeniedError, match="Controlling runs needs the operator role."):
        execution_cancel(execution, actor=viewer)

    execution.refresh_from_db()
    assert (execution.status, execution.cancel_requested) == ("queued", False)
