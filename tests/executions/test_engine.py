"""The step loop, run in this process: outcomes, retries, timeouts, templating, events."""

import pytest

from apps.executions.models import ExecutionEvent, StepRun
from tests.credentials.factories import SECRET, CredentialFactory
from tests.executions.factories import playbook

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_steps_run_in_order_with_outputs_variables_and_parameters(team, run_in_process):
    book = playbook(
        team,
        """
        - id: remember
          name: Remember the count
          type: utility.set_variable
          parameters: {name: count, value: "{{ parameter.count }}"}
        - id: tell
          name: Tell
          type: utility.log
          parameters:
            message: "count={{ variable.count }} from {{ step.remember.variable }}"
    """,
        parameters="""
        - name: count
          type: integer
          default: 1
    """,
    )

    execution = run_in_process(book, parameters={"count": "7"}).wait()

    assert (execution.status, execution.status_reason) == ("completed", "")
    assert execution.parameters == {"count": 7}
    assert execution.variables == {"count": 7}
    steps = list(execution.steps.order_by("position"))
    assert [(s.step_id, s.status, s.attempts) for s in steps] == [
        ("remember", "completed", 1),
        ("tell", "completed", 1),
    ]
    assert steps[0].outputs == {"variable": "count", "value": 7}
    assert steps[1].outputs == {"logged": "count=7 from count", "level": "info"}
    assert steps[1].duration_seconds >= 0


def test_events_are_numbered_without_gaps_and_end_with_the_final_status(team, run_in_process):
    book = playbook(
        team,
        """
        - id: hello
          name: Hello
          type: utility.log
          parameters: {message: hi, level: warning}
    """,
    )

    execution = run_in_process(book).wait()

    events = list(ExecutionEvent.objects.filter(execution=execution).order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert execution.last_seq == len(events)
    assert [e.type for e in events] == [
        "execution.status",
        "execution.status",
        "step.status",
        "log",
        "step.status",
        "variables",
        "execution.finished",
    ]
    assert events[3].payload == {"level": "warning", "message": "hi", "path": "0"}
    assert events[-1].payload == {"status": "completed", "reason": "", "by": None}


def test_an_aborting_failure_fails_the_run_and_leaves_later_steps_pending(team, run_in_process):
    book = playbook(
        team,
        """
        - id: broken
          name: Broken
          type: utility.sleep
          timeout: 0.05
          parameters: {seconds: 5}
        - id: later
          name: Later
          type: utility.log
          parameters: {message: never}
    """,
    )

    execution = run_in_process(book).wait()

    assert execution.status == "failed"
    assert execution.status_reason.startswith(
        "Step 'broken' failed: Step timed out after 0.05 seconds"
    )
    assert execution.steps.get(step_id="later").status == "pending"


def test_on_failure_continue_keeps_going_and_completes(team, run_in_process):
    book = playbook(
        team,
        """
        - id: broken
          name: Broken
          type: utility.sleep
          on_failure: continue
          timeout: 0.05
          parameters: {seconds: 5}
        - id: later
          name: Later
          type: utility.log
          parameters: {message: still here}
    """,
    )

    execution = run_in_process(book).wait()

    assert execution.status == "completed"
    statuses = dict(execution.steps.values_list("step_id", "status"))
    assert statuses == {"broken": "failed", "later": "completed"}


def test_retries_repeat_the_step_then_fail_with_the_last_error(team, run_in_process):
    book = playbook(
        team,
        """
        - id: broken
          name: Broken
          type: utility.sleep
          retry_count: 2
          retry_delay: 0
          timeout: 0.05
          parameters: {seconds: 5}
    """,
    )

    execution = run_in_process(book).wait()

    step = execution.steps.get()
    assert (step.status, step.attempts) == ("failed", 3)
    logs = [e.payload["message"] for e in execution.events.filter(type="log")]
    assert [line.split(":")[0] for line in logs] == ["Attempt 1 failed", "Attempt 2 failed"]


def test_a_step_over_its_timeout_is_stopped_and_failed(team, run_in_process):
    book = playbook(
        team,
        """
        - id: slow
          name: Slow
          type: utility.sleep
          timeout: 0.2
          parameters: {seconds: 30}
    """,
    )

    execution = run_in_process(book).wait()

    step = execution.steps.get()
    assert (execution.status, step.status) == ("failed", "failed")
    assert step.error == "Step timed out after 0.2 seconds"


def test_a_run_over_its_whole_timeout_fails_with_its_step(team, run_in_process):
    book = playbook(
        team,
        """
        - id: slow
          name: Slow
          type: utility.sleep
          parameters: {seconds: 30}
    """,
    )

    execution = run_in_process(book, timeout_seconds=1).wait()

    assert (execution.status, execution.status_reason) == ("failed", "Run timed out after 1 s.")
    step = execution.steps.get()
    assert (step.status, step.error) == ("failed", "Run timed out after 1 s.")


def test_a_template_error_fails_the_step_with_its_reference(team, run_in_process):
    book = playbook(
        team,
        """
        - id: first
          name: First
          type: utility.set_variable
          parameters: {name: answer, value: 42}
        - id: tell
          name: Tell
          type: utility.log
          parameters: {message: "{{ step.first.value.nope }}"}
    """,
    )

    execution = run_in_process(book).wait()

    assert execution.status == "failed"
    assert "step.first.value.nope" in execution.steps.get(step_id="tell").error


def test_secrets_are_masked_everywhere_they_would_appear(team, run_in_process):
    CredentialFactory(team=team, name="plant-admin")
    book = playbook(
        team,
        """
        - id: leak
          name: Leak
          type: utility.log
          parameters: {message: "password is {{ credential.plant-admin.password }}"}
        - id: keep
          name: Keep
          type: utility.set_variable
          parameters: {name: copy, value: "{{ parameter.login.password }}"}
        - id: fail
          name: Fail
          type: utility.log
          parameters: {message: "{{ step.keep.value.nothing }} {{ parameter.login.password }}"}
    """,
        parameters="""
        - name: login
          type: credential
    """,
    )

    execution = run_in_process(book, parameters={"login": "plant-admin"}).wait()

    assert execution.parameters == {"login": "plant-admin"}
    rows = list(StepRun.objects.filter(execution=execution).values_list("outputs", "error"))
    events = list(execution.events.values_list("payload", flat=True))
    stored = repr(rows) + repr(events) + repr(execution.variables) + execution.status_reason
    assert SECRET not in stored
    assert "password is [SECURE]" in stored
    assert execution.variables == {"copy": "[SECURE]"}
