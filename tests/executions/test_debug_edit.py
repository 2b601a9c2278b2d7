"""Debug mode: edit the failed step's YAML and run it again, or also save it to the playbook."""

import contextlib

import pytest
from django.urls import reverse

from apps.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from apps.executions.services.control import execution_cancel, execution_resume
from apps.executions.services.debug_edit import execution_edit_step
from apps.playbooks.models import Playbook
from tests.accounts.factories import UserFactory
from tests.executions.factories import HELLO_STEP, playbook

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

STEPS = (
    HELLO_STEP
    + """
    - id: broken
      name: Broken
      type: utility.sleep
      timeout: 0.05
      parameters: {seconds: 5}
    - id: last
      name: Last
      type: utility.log
      parameters: {message: done}
"""
)
FIXED = """
id: broken
name: Fixed
type: utility.set_variable
parameters: {name: note, value: repaired}
"""


@pytest.fixture
def waiting(team, operator, run_in_process):
    """A debug run waiting on its failed step 'broken' (it runs over its timeout)."""
    run = run_in_process(playbook(team, STEPS), debug=True)
    run.wait_for(lambda e: e.status == "paused")
    execution_resume(run.execution, actor=operator)
    run.wait_for(
        lambda e: e.status == "paused" and e.steps.get(step_id="broken").status == "failed"
    )
    yield run
    with contextlib.suppress(ConflictError):
        execution_cancel(run.execution, actor=operator)


def test_the_edited_step_runs_in_place_of_the_failed_one(waiting, operator):
    execution_edit_step(waiting.execution, actor=operator, step_id="broken", step_yaml=FIXED)
    waiting.wait_for(
        lambda e: e.status == "paused" and e.steps.get(step_id="broken").status == "completed"
    )
    execution_resume(waiting.execution, actor=operator)
    execution = waiting.wait()

    assert execution.status == "completed"
    broken = execution.steps.get(step_id="broken")
    assert (broken.name, broken.type, broken.attempts) == ("Fixed", "utility.set_variable", 2)
    edits = execution.events.filter(type="control", payload__command="edit_step")
    assert edits.get().payload["step"]["parameters"] == {"name": "note", "value": "repaired"}
    assert Playbook.objects.get(pk=execution.playbook_id).current_version.revision == 1


def test_saving_the_edit_makes_a_new_revision_for_editors(waiting, team):
    lead = UserFactory(username="lee-lead", roles=["operator", "editor"], teams=[team])

    execution_edit_step(waiting.execution, actor=lead, step_id="broken", step_yaml=FIXED, save=True)

    playbook = Playbook.objects.get(pk=waiting.execution.playbook_id)
    version = playbook.current_version
    assert version.revision == 2
    assert "utility.set_variable" in version.yaml_text
    assert version.change_note == (
        f"Step 'broken' fixed while debugging run {waiting.execution.pk} "
        "(no longer verified: its steps or parameters changed)"
    )
    assert playbook.verified is False


@pytest.mark.parametrize(
    ("_case", "step_yaml", "message"),
    [
        ("not yaml", "id: [broken", "The step is not valid YAML"),
        ("a list", "- id: broken", "Write the step as one YAML mapping"),
        ("other id", "id: other\nname: X\ntype: utility.log", "Keep the step's id 'broken'"),
        (
            "unknown key",
            "id: broken\nname: X\ntype: utility.log\nparameters: {message: x, colour: red}",
            "The playbook is not valid",
        ),
        (
            "into a child",
            "id: broken\nname: X\ntype: playbook.run\nparameters: {playbook: a/b.yaml}",
            "cannot become or stop being a playbook.run",
        ),
    ],
)
def test_bad_edits_are_refused_and_the_run_keeps_waiting(
    waiting, operator, _case, step_yaml, message
):
    with pytest.raises(ApplicationError, match=message):
        execution_edit_step(
            waiting.execution, actor=operator, step_id="broken", step_yaml=step_yaml
        )

    waiting.execution.refresh_from_db()
    assert waiting.execution.status == "paused"
    assert not waiting.execution.events.filter(payload__command="edit_step").exists()


def test_only_the_failed_step_of_a_waiting_debug_run_can_be_edited(waiting, operator, viewer):
    with pytest.raises(ConflictError, match="only while the debug run waits on its failure"):
        execution_edit_step(waiting.execution, actor=operator, step_id="hello", step_yaml=FIXED)
    with pytest.raises(PermissionDeniedError):
        execution_edit_step(waiting.execution, actor=viewer, step_id="broken", step_yaml=FIXED)
    with pytest.raises(PermissionDeniedError, match="editor role"):
        execution_edit_step(
            waiting.execution, actor=operator, step_id="broken", step_yaml=FIXED, save=True
        )


def test_the_panel_form_shows_the_step_and_the_problem(waiting, operator, client):
    client.force_login(operator)
    page = client.get(reverse("executions:detail", args=[waiting.execution.pk]))
    url = reverse("executions:edit-step", args=[waiting.execution.pk])

    refused = client.post(
        url, {"step_id": "broken", "step_yaml": "id: other"}, headers={"HX-Request": "true"}
    )
    accepted = client.post(url, {"step_id": "broken", "step_yaml": FIXED})

    assert 'id="debug-step-yaml"' in page.text
    assert "type: utility.sleep" in page.text
    assert "Keep the step&#x27;s id &#x27;broken&#x27;" in refused.text
    assert "id: other" in refused.text
    assert accepted.status_code == 302
    waiting.wait_for(lambda e: e.steps.get(step_id="broken").status == "completed")
