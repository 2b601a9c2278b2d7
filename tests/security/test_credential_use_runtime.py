"""At run time the engine resolves every credential with its requester's rights.

A credential that became private after the launch, one named literally in a playbook, and one
passed down to a child playbook are all refused for a requester who may not use them: the run
fails saying which credential and why, and the secret is used nowhere.
"""

import pytest

from apps.accounts.models import AuditEntry
from apps.credentials.models import Credential
from apps.executions.models import ExecutionEvent
from tests.executions.factories import playbook
from tests.security.private_credential import LOG_USER, SECRET

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REFUSED = (
    "Credential 'oscar-private' may not be used by olga-operator, who started this run: it is "
    "private to another user of Line 1."
)
LOGIN = """
    - {name: login, type: credential, required: false}
"""
CALL_CHILD = """
    - id: call
      name: Call the child
      type: playbook.run
      parameters: {playbook: gateway/child.yaml, login: oscar-private}
"""


def uses(credential) -> int:
    return AuditEntry.objects.filter(action="credential.use", object_id=str(credential.pk)).count()


def secret_in_events() -> bool:
    return any(SECRET in str(event.payload) for event in ExecutionEvent.objects.all())


def test_a_credential_made_private_after_the_launch_fails_the_run(
    team, private, olga, run_in_process
):
    Credential.objects.filter(pk=private.pk).update(shared=True)
    book = playbook(team, LOG_USER, parameters=LOGIN)
    run = run_in_process(book, actor=olga, parameters={"login": private.name})
    Credential.objects.filter(pk=private.pk).update(shared=False)

    execution = run.wait()

    assert (execution.status, execution.status_reason) == ("failed", REFUSED)
    assert uses(private) == 0
    assert secret_in_events() is False


def test_a_literal_credential_reference_is_resolved_with_the_requesters_rights(
    team, private, olga, run_in_process
):
    steps = """
    - id: who
      name: Who
      type: utility.log
      parameters: {message: "as {{ credential.oscar-private.username }}"}
    """
    book = playbook(team, steps)

    execution = run_in_process(book, actor=olga).wait()

    assert execution.status == "failed"
    assert execution.steps.get(step_id="who").error == REFUSED
    assert uses(private) == 0


def test_a_child_playbooks_credential_parameter_is_resolved_for_the_requester(
    team, private, operator, olga, run_in_process
):
    playbook(team, LOG_USER, parameters=LOGIN, path="gateway/child.yaml")
    parent = playbook(team, CALL_CHILD)

    refused = run_in_process(parent, actor=olga).wait()
    allowed = run_in_process(parent, actor=operator).wait()

    assert refused.status == "failed"
    assert refused.steps.get(step_id="call").error == REFUSED
    assert allowed.status == "completed"
    logged = allowed.steps.get(step_id="who").outputs
    assert logged == {"logged": "as oscar", "level": "info"}
    assert uses(private) == 1
    assert secret_in_events() is False
