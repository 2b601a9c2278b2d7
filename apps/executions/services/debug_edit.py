"""Fix a failed step from the debug panel: validate the edit, run the step again with it.

A debug run waits on its failed step. The person debugging edits that step's YAML; the edit is
checked with the whole playbook (the run's pinned version with the step replaced), stored as a
``edit_step`` control event that the engine reads when the step runs again, and the run is
resumed. With ``save`` the same step also replaces the one in the playbook's current version
(a new revision), so the fix outlives the run.
"""

import yaml
from django.db import transaction

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.accounts.selectors import user_has_role
from apps.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from apps.executions.commands import ExecutionCommand
from apps.executions.models import Execution, ExecutionStatus, StepStatus
from apps.executions.services.control import notify, require_live
from apps.playbooks.loader.source import YamlError, parse_yaml
from apps.playbooks.services._common import validate_for_team
from apps.playbooks.services.catalogue import playbook_update_step

EDIT_COMMAND = "edit_step"


@transaction.atomic
def execution_edit_step(
    execution: Execution, *, actor: User, step_id: str, step_yaml: str, save: bool = False
) -> Execution:
    """Run the failed step ``step_id`` again as ``step_yaml`` says; ``save`` keeps the edit."""
    current = require_live(execution, actor, "edit step")
    row = _failed_row(current, step_id)
    edited = _parse_step(step_yaml, step_id)
    document = yaml.safe_load(current.playbook_version.yaml_text)
    index = next(i for i, item in enumerate(document["steps"]) if item.get("id") == step_id)
    if (document["steps"][index].get("type") == "playbook.run") != (
        edited.get("type") == "playbook.run"
    ):
        raise ApplicationError("A step cannot become or stop being a playbook.run while debugging.")
    document["steps"][index] = edited
    loaded = validate_for_team(
        yaml.safe_dump(document, sort_keys=False, allow_unicode=True),
        team=current.team,
        source=f"{current.playbook_name}, step '{step_id}'",
    )
    if save:
        _save_to_playbook(current, actor, step_id, edited)
    current.pause_requested = False
    current.save(update_fields=["pause_requested"])
    notify(current, actor, EDIT_COMMAND, path=row.path, step=loaded.steps[index])
    notify(current, actor, ExecutionCommand.RESUME)
    return current


def _failed_row(execution: Execution, step_id: str):
    row = execution.steps.filter(parent=None, step_id=step_id).first()
    waiting = execution.status == ExecutionStatus.PAUSED and execution.debug
    if row is None or row.status != StepStatus.FAILED or not waiting:
        raise ConflictError(
            f"Step '{step_id}' can be edited only while the debug run waits on its failure."
        )
    return row


def _parse_step(step_yaml: str, step_id: str) -> dict:
    try:
        data, _marks, problems = parse_yaml(step_yaml)
    except YamlError as problem:
        raise ApplicationError(f"The step is not valid YAML: {problem.message}") from None
    if problems or not isinstance(data, dict):
        raise ApplicationError("Write the step as one YAML mapping (id, name, type, parameters).")
    if data.setdefault("id", step_id) != step_id:
        raise ApplicationError(f"Keep the step's id '{step_id}': later steps may refer to it.")
    return data


def _save_to_playbook(execution: Execution, actor: User, step_id: str, edited: dict) -> None:
    if not user_has_role(actor, Role.EDITOR):
        raise PermissionDeniedError("Saving the step to the playbook needs the editor role.")
    if execution.playbook is None:
        raise ConflictError("The playbook of this run was deleted; the edit applies to the run.")
    playbook_update_step(
        execution.playbook,
        actor=actor,
        step_id=step_id,
        step=edited,
        change_note=f"Step '{step_id}' fixed while debugging run {execution.pk}",
    )
