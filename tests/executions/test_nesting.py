"""playbook.run: verified children only, depth ≤ 3, cycles refused, nested step rows."""

import pytest

from apps.executions.children import ChildPlaybookError
from apps.executions.services.control import execution_cancel
from apps.executions.services.launch import execution_start
from tests.executions.factories import playbook

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHILD = """
    - id: greet
      name: Greet
      type: utility.log
      parameters: {message: "hello {{ parameter.who }}"}
    - id: mark
      name: Mark
      type: utility.set_variable
      parameters: {name: seen, value: "{{ parameter.who }}"}
"""
WHO = """
    - name: who
      type: string
      default: nobody
"""


def parent_steps(child_path: str, *, on_failure: str = "abort") -> str:
    return f"""
    - id: call
      name: Call the child
      type: playbook.run
      on_failure: {on_failure}
      parameters:
        playbook: {child_path}
        who: "{{{{ parameter.name }}}}"
    - id: after
      name: After
      type: utility.log
      parameters: {{message: "child said {{{{ step.call.status }}}}"}}
"""


NAME = """
    - name: name
      type: string
      default: Ada
"""


def test_child_steps_run_nested_with_parameters_from_the_parent(team, run_in_process):
    playbook(team, CHILD, parameters=WHO, path="gateway/child.yaml")
    parent = playbook(team, parent_steps("gateway/child.yaml"), parameters=NAME)

    run = run_in_process(parent)
    planned = list(
        run.execution.steps.order_by("position").values_list("path", "step_id", "status")
    )
    execution = run.wait()

    assert planned == [
        ("0", "call", "pending"),
        ("0.0", "greet", "pending"),
        ("0.1", "mark", "pending"),
        ("1", "after", "pending"),
    ]
    rows = {row.path: row for row in execution.steps.all()}
    assert execution.status == "completed"
    assert rows["0.0"].parent == rows["0"]
    assert rows["0.0"].outputs == {"logged": "hello Ada", "level": "info"}
    assert rows["0"].outputs["steps_executed"] == 2
    assert rows["1"].outputs["logged"] == "child said completed"


def test_a_failing_child_step_fails_the_parent_step(team, run_in_process):
    playbook(
        team,
        """
        - id: broken
          name: Broken
          type: utility.sleep
          timeout: 0.05
          parameters: {seconds: 5}
    """,
        parameters=WHO,
        path="gateway/broken.yaml",
    )
    parent = playbook(team, parent_steps("gateway/broken.yaml"), parameters=NAME)

    execution = run_in_process(parent).wait()

    rows = {row.path: row for row in execution.steps.all()}
    assert execution.status == "failed"
    assert rows["0"].error.startswith(
        "Child playbook 'gateway/broken.yaml' failed: Step 'broken' failed"
    )
    assert rows["1"].status == "pending"


def test_a_failing_child_with_continue_lets_the_parent_go_on(team, run_in_process):
    playbook(
        team,
        """
        - id: broken
          name: Broken
          type: utility.sleep
          timeout: 0.05
          parameters: {seconds: 5}
    """,
        parameters=WHO,
        path="gateway/broken.yaml",
    )
    steps = parent_steps("gateway/broken.yaml", on_failure="continue")
    steps = steps.replace('"child said {{ step.call.status }}"', "carrying on")
    parent = playbook(team, steps, parameters=NAME)

    execution = run_in_process(parent).wait()

    assert execution.status == "completed"
    statuses = dict(execution.steps.values_list("path", "status"))
    assert statuses == {"0": "failed", "0.0": "failed", "1": "completed"}


def test_unverified_children_are_refused_at_launch(team, operator):
    playbook(team, CHILD, parameters=WHO, path="gateway/child.yaml", verified=False)
    parent = playbook(team, parent_steps("gateway/child.yaml"), parameters=NAME)

    with pytest.raises(
        ChildPlaybookError, match="Child playbook 'gateway/child.yaml' is not verified"
    ):
        execution_start(parent, actor=operator)

    assert parent.executions.count() == 0


def test_cycles_are_refused_with_the_chain(team, operator):
    a = playbook(team, parent_steps("gateway/b.yaml"), parameters=NAME, path="gateway/a.yaml")
    playbook(team, parent_steps("gateway/a.yaml"), parameters=NAME, path="gateway/b.yaml")

    with pytest.raises(
        ChildPlaybookError, match="Playbook cycle: gateway/a.yaml → gateway/b.yaml → gateway/a.yaml"
    ):
        execution_start(a, actor=operator)


def test_nesting_deeper_than_three_levels_is_refused(team, operator):
    playbook(team, CHILD, parameters=WHO, path="gateway/level4.yaml")
    for level in (3, 2, 1):
        playbook(
            team,
            parent_steps(f"gateway/level{level + 1}.yaml"),
            parameters=NAME + WHO,
            path=f"gateway/level{level}.yaml",
        )
    top = playbook(team, parent_steps("gateway/level1.yaml"), parameters=NAME)

    with pytest.raises(ChildPlaybookError, match="Nesting is limited to 3 levels"):
        execution_start(top, actor=operator)


def test_missing_children_are_named(team, operator):
    parent = playbook(team, parent_steps("gateway/nowhere.yaml"), parameters=NAME)

    with pytest.raises(
        ChildPlaybookError, match="Child playbook 'gateway/nowhere.yaml' does not exist"
    ):
        execution_start(parent, actor=operator)


NAP = """
    - id: nap
      name: Nap
      type: utility.sleep
      parameters: {seconds: 30}
"""


def test_a_run_timing_out_inside_a_child_fails_the_child_step_and_its_parent(team, run_in_process):
    playbook(team, NAP, parameters=WHO, path="gateway/nap.yaml")
    steps = parent_steps("gateway/nap.yaml", on_failure="continue")
    steps = steps.replace("on_failure:", "retry_count: 2\n      on_failure:")

    execution = run_in_process(playbook(team, steps, parameters=NAME), timeout_seconds=1).wait()

    assert (execution.status, execution.status_reason) == ("failed", "Run timed out after 1 s.")
    rows = {row.path: row for row in execution.steps.all()}
    assert [(rows[path].status, rows[path].error) for path in ("0", "0.0")] == [
        ("failed", "Run timed out after 1 s."),
        ("failed", "Run timed out after 1 s."),
    ]
    assert (rows["0"].attempts, rows["1"].status) == (1, "pending")
    assert not execution.events.filter(type="log", payload__level="warning").exists()


def test_cancelling_inside_a_child_cancels_the_run_and_both_steps(team, operator, run_in_process):
    playbook(team, NAP, parameters=WHO, path="gateway/nap.yaml")
    run = run_in_process(playbook(team, parent_steps("gateway/nap.yaml"), parameters=NAME))
    run.wait_for(lambda current: current.steps.filter(path="0.0", status="running").exists())

    execution_cancel(run.execution, actor=operator)
    execution = run.wait()

    assert (execution.status, execution.status_reason) == (
        "cancelled",
        "Cancelled by oscar-operator.",
    )
    assert dict(execution.steps.values_list("path", "status")) == {
        "0": "cancelled",
        "0.0": "cancelled",
        "1": "pending",
    }
