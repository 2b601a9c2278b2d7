"""Commands to a run: cancel, pause, resume, skip, skip back, debug, and live commands.

Each updates the row (the truth) and, after commit, tells the owning worker through the
control channel so it reacts inside the running step.
"""

from django.db import transaction

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.accounts.selectors import user_has_role
from apps.accounts.services import audit_record
from apps.core.errors import ConflictError, PermissionDeniedError
from apps.executions.commands import ExecutionCommand
from apps.executions.control_channel import control_publish
from apps.executions.events import EventType, event_record
from apps.executions.models import Execution, ExecutionStatus
from apps.executions.services.lifecycle import execution_finish


def require_live(execution: Execution, actor: User, command: str) -> Execution:
    """The run, locked, if ``actor`` may control it and it has not ended."""
    if not user_has_role(actor, Role.OPERATOR):
        raise PermissionDeniedError("Controlling runs needs the operator role.")
    current = Execution.objects.select_for_update().get(pk=execution.pk)
    if current.is_finished:
        raise ConflictError(
            f"Cannot {_label(command)}: the run already ended ({current.status}).",
            extra={"status": current.status},
        )
    return current


def _label(command: str) -> str:
    return command.replace("_", " ")


def notify(execution: Execution, actor: User, command: str, **data) -> None:
    event_record(
        execution.pk, EventType.CONTROL, {"command": command, "by": actor.username, **data}
    )
    audit_record(actor, f"execution.{command}", target=execution, details=data)
    transaction.on_commit(lambda: control_publish(execution.pk, command, by=actor.pk, **data))


@transaction.atomic
def execution_cancel(execution: Execution, *, actor: User) -> Execution:
    """Cancel a run; a queued run ends at once, a running one within half a second."""
    current = require_live(execution, actor, ExecutionCommand.CANCEL)
    current.cancel_requested, current.finished_by = True, actor
    current.save(update_fields=["cancel_requested", "finished_by"])
    notify(current, actor, ExecutionCommand.CANCEL)
    if current.status == ExecutionStatus.QUEUED:
        execution_finish(current.pk, ExecutionStatus.CANCELLED, f"Cancelled by {actor.username}.")
        current.refresh_from_db()
    return current


@transaction.atomic
def execution_pause(execution: Execution, *, actor: User) -> Execution:
    current = require_live(execution, actor, ExecutionCommand.PAUSE)
    if current.status == ExecutionStatus.PAUSED or current.pause_requested:
        raise ConflictError("The run is already paused.")
    current.pause_requested = True
    current.save(update_fields=["pause_requested"])
    notify(current, actor, ExecutionCommand.PAUSE)
    return current


@transaction.atomic
def execution_resume(execution: Execution, *, actor: User) -> Execution:
    current = require_live(execution, actor, ExecutionCommand.RESUME)
    if current.status != ExecutionStatus.PAUSED and not current.pause_requested:
        raise ConflictError("The run is not paused.")
    current.pause_requested = False
    current.save(update_fields=["pause_requested"])
    notify(current, actor, ExecutionCommand.RESUME)
    return current


@transaction.atomic
def execution_skip(execution: Execution, *, actor: User, back: bool = False) -> Execution:
    """Skip the running (or next) step; ``back`` re-runs the previous step instead."""
    command = ExecutionCommand.SKIP_BACK if back else ExecutionCommand.SKIP
    current = require_live(execution, actor, command)
    if current.status == ExecutionStatus.QUEUED:
        raise ConflictError(f"Cannot {command.label}: the run has not started.")
    current.pause_requested = False
    current.save(update_fields=["pause_requested"])
    notify(current, actor, command)
    return current


@transaction.atomic
def execution_set_debug(execution: Execution, *, actor: User, enabled: bool) -> Execution:
    current = require_live(execution, actor, ExecutionCommand.DEBUG)
    current.debug = enabled
    current.save(update_fields=["debug"])
    notify(current, actor, ExecutionCommand.DEBUG, enabled=enabled)
    return current


@transaction.atomic
def execution_command(execution: Execution, *, actor: User, command: str, **data) -> Execution:
    """Send a live command to the run's worker (e.g. ``browser.click`` with x and y)."""
    current = require_live(execution, actor, command)
    if current.status not in (ExecutionStatus.RUNNING, ExecutionStatus.PAUSED):
        raise ConflictError(f"Cannot send '{command}': the run is not running.")
    notify(current, actor, command, **data)
    return current
