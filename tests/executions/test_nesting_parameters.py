"""playbook.run: child parameters typed as declared, credentials by name, outputs as produced."""

import pytest

from apps.steps.registry import get_step_type
from tests.credentials.factories import CredentialFactory
from tests.executions.factories import playbook

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHILD = """
    - id: keep
      name: Keep
      type: utility.set_variable
      parameters: {name: seen, value: "{{ count }}"}
    - id: who
      name: Who
      type: utility.log
      parameters: {message: "user {{ gateway_credential.username }}"}
"""
CHILD_PARAMETERS = """
    - {name: count, type: integer}
    - {name: ratio, type: float, default: 0.5}
    - {name: gateway_credential, type: credential}
"""
PARENT = """
    - id: call
      name: Call
      type: playbook.run
      parameters:
        playbook: gateway/child.yaml
        count: "{{ count_text }}"
        gateway_credential: plant-admin
"""
PARENT_PARAMETERS = """
    - {name: count_text, type: string, default: "5"}
"""


def test_a_child_gets_typed_values_and_credentials_named_by_the_parent(team, run_in_process):
    CredentialFactory(team=team, name="plant-admin", username="plant-user", shared=True)
    playbook(team, CHILD, parameters=CHILD_PARAMETERS, path="gateway/child.yaml")
    parent = playbook(team, PARENT, parameters=PARENT_PARAMETERS)

    execution = run_in_process(parent).wait()

    assert execution.status == "completed", execution.status_reason
    rows = {row.step_id: row for row in execution.steps.all()}
    assert rows["keep"].outputs == {"variable": "seen", "value": 5}
    assert rows["who"].outputs["logged"] == "user plant-user"


def test_a_private_credential_of_another_user_is_refused_to_the_child(team, run_in_process, editor):
    CredentialFactory(team=team, name="plant-admin", owner=editor, shared=False)
    playbook(team, CHILD, parameters=CHILD_PARAMETERS, path="gateway/child.yaml")
    parent = playbook(team, PARENT, parameters=PARENT_PARAMETERS)

    execution = run_in_process(parent).wait()

    assert execution.status == "failed"
    error = execution.steps.get(step_id="call").error
    assert "Credential 'plant-admin' may not be used by" in error


def test_a_child_value_that_is_not_of_the_declared_type_fails_the_step(team, run_in_process):
    CredentialFactory(team=team, name="plant-admin", shared=True)
    playbook(team, CHILD, parameters=CHILD_PARAMETERS, path="gateway/child.yaml")
    parent = playbook(team, PARENT, parameters=PARENT_PARAMETERS.replace('"5"', "five"))

    execution = run_in_process(parent).wait()

    error = execution.steps.get(step_id="call").error
    assert error.startswith("Child playbook 'gateway/child.yaml' parameters: 'count'"), error


def test_run_declares_only_the_outputs_it_produces():
    assert get_step_type("playbook.run").outputs == (
        "playbook",
        "status",
        "steps_executed",
        "steps",
    )
