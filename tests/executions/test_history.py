"""History services: deleting finished runs with their files, and running a run again."""

import pytest

from apps.accounts.models import AuditEntry
from apps.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from apps.executions.models import Artifact, Execution
from apps.executions.services.history import execution_delete, execution_rerun
from apps.executions.services.launch import execution_start
from tests.executions.factories import playbook as make_playbook
from tests.gateways.factories import GatewayFactory

pytestmark = pytest.mark.django_db

STEPS = """
    - id: hello
      name: Hello
      type: utility.log
      parameters: {message: "{{ parameter.greeting }}"}
"""
PARAMETERS = """
    - name: greeting
      type: string
      required: true
    - name: gateway_url
      type: string
      required: false
"""


def finished_run(team, actor, *, status="completed", **start) -> Execution:
    book = make_playbook(team, STEPS, parameters=PARAMETERS)
    execution = execution_start(book, actor=actor, parameters={"greeting": "hi"}, **start)
    Execution.objects.filter(pk=execution.pk).update(status=status)
    execution.refresh_from_db()
    return execution


def with_files(execution, root):
    folder = root / str(execution.pk)
    folder.mkdir(parents=True)
    (folder / "shot.png").write_bytes(b"png")
    Artifact.objects.create(
        execution=execution, kind="screenshot", name="shot.png", path=f"{execution.pk}/shot.png"
    )
    return folder


def test_delete_removes_runs_their_rows_and_files_after_commit(
    team, operator, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.ARTIFACTS_ROOT = tmp_path
    first, second = finished_run(team, operator), finished_run(team, operator, status="failed")
    folder = with_files(first, tmp_path)
    outside = tmp_path.parent / f"{tmp_path.name}-keep.txt"
    outside.write_text("keep")
    Artifact.objects.create(execution=first, kind="log", name="x", path=f"../{outside.name}")

    with django_capture_on_commit_callbacks(execute=True):
        deleted = execution_delete([first, second], actor=operator)

    assert deleted == 2
    assert Execution.objects.count() == 0
    assert Artifact.objects.count() == 0
    assert not folder.exists()
    assert outside.read_text() == "keep"
    assert AuditEntry.objects.filter(action="execution.delete").count() == 2


@pytest.mark.parametrize("status", ["queued", "running", "paused"])
def test_delete_refuses_the_whole_batch_when_a_run_is_live(team, operator, status):
    done = finished_run(team, operator)
    live = finished_run(team, operator, status=status)

    with pytest.raises(ConflictError) as refused:
        execution_delete([done, live], actor=operator)

    assert refused.value.message == (
        f"Cannot delete runs that are still queued, running or paused: Engine test ({status}). "
        "Cancel them first, or wait until they end."
    )
    assert refused.value.extra == {"live": [str(live.pk)]}
    assert Execution.objects.count() == 2


def test_delete_names_at_most_five_live_runs(team, operator):
    runs = [finished_run(team, operator, status="running") for _ in range(7)]

    with pytest.raises(ConflictError, match=r"\(running\) and 2 more\. Cancel them first"):
        execution_delete(runs, actor=operator)


def test_delete_needs_the_operator_role(team, operator, viewer):
    execution = finished_run(team, operator)

    with pytest.raises(PermissionDeniedError, match="Deleting runs needs the operator role."):
        execution_delete([execution], actor=viewer)

    assert Execution.objects.filter(pk=execution.pk).exists()


def test_rerun_starts_the_same_playbook_with_the_same_parameters_and_gateway(team, operator):
    gateway = GatewayFactory(team=team)
    original = finished_run(team, operator, gateway=gateway, debug=True, timeout_seconds=120)

    again = execution_rerun(original, actor=operator)

    assert again.pk != original.pk
    assert (again.playbook, again.gateway, again.status) == (original.playbook, gateway, "queued")
    assert again.parameters == original.parameters
    assert again.parameters["greeting"] == "hi"
    assert (again.debug, again.timeout_seconds) == (True, 120)
    assert list(again.steps.values_list("step_id", flat=True)) == ["hello"]


def test_rerun_of_a_deleted_playbook_says_so(team, operator):
    execution = finished_run(team, operator)
    Execution.objects.filter(pk=execution.pk).update(playbook=None)
    execution.refresh_from_db()

    with pytest.raises(ApplicationError, match="its playbook was deleted"):
        execution_rerun(execution, actor=operator)


def test_rerun_needs_the_operator_role(team, operator, viewer):
    execution = finished_run(team, operator)

    with pytest.raises(PermissionDeniedError):
        execution_rerun(execution, actor=viewer)
