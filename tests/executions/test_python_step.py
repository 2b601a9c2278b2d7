"""utility.python in its own process: data in, KEY=value out, no secrets, killable."""

import pytest
from django.test import override_settings

from apps.core.errors import ApplicationError
from apps.executions.models import Execution
from apps.executions.services.launch import execution_start
from tests.executions.factories import HELLO_STEP, playbook

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@override_settings(ALLOW_PYTHON_STEPS=True)
def test_scripts_get_data_and_print_outputs_and_variables(team, run_in_process):
    book = playbook(
        team,
        """
        - id: count
          name: Count
          type: utility.python
          parameters:
            inputs: {items: [1, 2, 3]}
            script: |
              import os
              set_variable("total", sum(inputs["items"]))
              print("COUNT=" + str(len(params["items"])))
              print("SECRETS=" + ",".join(k for k in os.environ if "KEY" in k or "SECRET" in k))
        - id: use
          name: Use
          type: utility.log
          parameters: {message: "total {{ variable.total }}"}
    """,
    )

    execution = run_in_process(book).wait()

    assert execution.status == "completed", execution.status_reason
    outputs = execution.steps.get(step_id="count").outputs
    assert (outputs["COUNT"], outputs["SECRETS"]) == ("3", "")
    assert execution.steps.get(step_id="use").outputs["logged"] == "total 6"


@override_settings(ALLOW_PYTHON_STEPS=True)
def test_a_script_error_fails_the_step_with_the_traceback(team, run_in_process):
    book = playbook(
        team,
        """
        - id: boom
          name: Boom
          type: utility.python
          parameters: {script: "raise ValueError('bad value')"}
    """,
    )

    execution = run_in_process(book).wait()

    error = execution.steps.get().error
    assert error.startswith("The script raised an error:")
    assert "ValueError: bad value" in error


@override_settings(ALLOW_PYTHON_STEPS=True)
def test_a_running_script_is_killed_on_timeout(team, run_in_process):
    book = playbook(
        team,
        """
        - id: forever
          name: Forever
          type: utility.python
          timeout: 0.5
          parameters: {script: "import time\\nwhile True: time.sleep(0.01)"}
    """,
    )

    execution = run_in_process(book).wait()

    assert execution.steps.get().error == "Step timed out after 0.5 seconds"


PYTHON_STEP = """
    - id: script
      name: Script
      type: utility.python
      parameters: {script: "print(1)"}
"""


def test_a_run_with_python_steps_is_refused_at_launch_where_they_are_disabled(team, operator):
    book = playbook(team, HELLO_STEP + PYTHON_STEP)

    with pytest.raises(ApplicationError) as refused:
        execution_start(book, actor=operator)

    assert refused.value.message == (
        "Step 'script' is a utility.python step, and Python steps are disabled on this "
        "installation: an administrator must set ALLOW_PYTHON_STEPS=true to allow them."
    )
    assert not Execution.objects.exists()


def test_a_python_step_of_a_child_chosen_at_run_time_fails_where_they_are_disabled(
    team, run_in_process
):
    playbook(team, PYTHON_STEP, path="gateway/scripted.yaml")
    parent = playbook(
        team,
        """
        - id: nested
          name: Nested
          type: playbook.run
          parameters: {playbook: "gateway/{{ parameter.child }}.yaml"}
    """,
        parameters="- {name: child, type: string, required: false, default: scripted}\n",
    )

    execution = run_in_process(parent).wait()

    assert execution.status == "failed"
    assert (
        "This is a utility.python step, and Python steps are disabled on this installation"
        in execution.status_reason
    )
