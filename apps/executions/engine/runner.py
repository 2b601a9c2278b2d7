"""The step loop of one execution: resolve, run, retry, pause, nest, persist, emit."""

import logging
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils import timezone

from apps.core.database import DatabaseUnavailableError
from apps.executions.children import child_playbook_load, child_values
from apps.executions.commands import StopReason
from apps.executions.engine.attempts import RunStopped, StepAborted, StepAttempts
from apps.executions.engine.context import Scope, StepContext
from apps.executions.engine.control import SLICE_SECONDS, RunControl
from apps.executions.engine.credentials import CredentialUnavailableError, RunCredentials
from apps.executions.engine.masking import Masker
from apps.executions.engine.recording import Recorder
from apps.executions.engine.resources import Resources
from apps.executions.engine.watcher import Watcher
from apps.executions.events import events_flush
from apps.executions.models import Execution, ExecutionStatus, StepRun, StepStatus
from apps.executions.plan import plan_children
from apps.executions.services.lifecycle import (
    execution_finish,
    execution_save_variables,
    execution_set_status,
)
from apps.files.fetch import LibraryInputError, library_inputs_fetch
from apps.playbooks.loader import load_playbook
from apps.playbooks.templating import TemplateContext, render_parameters
from apps.steps.registry import get_step_type, handler_for, untemplated_parameters

logger = logging.getLogger(__name__)


class Runner(StepAttempts):
    def __init__(self, execution: Execution) -> None:
        self.execution = execution
        self.id = str(execution.pk)
        self.control = RunControl(debug=execution.debug)
        self.control.pause(execution.pause_requested)
        self.masker = Masker()
        self.credentials = RunCredentials(execution, self.masker)
        self.resources = Resources()
        self.recorder = Recorder(execution, self.masker)
        self.rows = {row.path: row for row in execution.steps.all()}

    # The run --------------------------------------------------------------------------------
    def run(self) -> str:
        scope, watcher = Scope(parameters={}), None
        try:
            steps, scope = self.load()
            watcher = Watcher(
                self.id, self.control, run_timeout_seconds=self.execution.timeout_seconds
            )
            watcher.start()
            self.run_steps(steps, "", scope)
            status, reason = ExecutionStatus.COMPLETED, ""
        except Exception as exc:  # noqa: BLE001 - however a run ends, it gets a status and reason
            status, reason = self.outcome(exc)
        finally:
            if watcher is not None:
                watcher.stop()  # it winds down while the run closes; joined at the very end
            self.resources.close()
        reason = self.masker.mask(reason)
        execution_save_variables(self.id, self.recorder.json_safe(scope.variables))
        execution_finish(self.id, status, reason)
        self.recorder.close()
        if watcher is not None:
            watcher.join(timeout=5)
        return status

    def load(self) -> tuple[list[dict], Scope]:
        """The pinned playbook's steps, and its top-level scope with the resolved parameters."""
        version = self.execution.playbook_version
        loaded = load_playbook(version.yaml_text, source=self.execution.playbook_name)
        parameters = library_inputs_fetch(
            self.execution,
            version.parameters,
            self.credentials.resolve_parameters(version.parameters),
            self.recorder.artifacts_dir,
            self.recorder.log,
        )
        scope = Scope(
            parameters=parameters,
            stack=(self.execution.playbook.path if self.execution.playbook else "",),
        )
        return loaded.steps, scope

    def outcome(self, exc: Exception) -> tuple[str, str]:
        """The final status and reason of a run that ended with ``exc`` (called in its handler)."""
        if isinstance(exc, SoftTimeLimitExceeded):
            # Celery's limit for the task: the run is out of time, unless it was already stopping.
            self.control.cancel(StopReason.RUN_TIMEOUT)
            exc = self.stopped()
        if isinstance(exc, RunStopped):
            return exc.status, exc.reason
        if isinstance(exc, DatabaseUnavailableError):
            return ExecutionStatus.ERROR, exc.message
        if isinstance(exc, StepAborted | CredentialUnavailableError | LibraryInputError):
            return ExecutionStatus.FAILED, str(exc)
        logger.exception("Execution %s failed in the engine", self.id)
        return ExecutionStatus.FAILED, f"{type(exc).__name__}: {exc}"

    # One playbook level ---------------------------------------------------------------------
    def run_steps(self, steps: list[dict], prefix: str, scope: Scope) -> None:
        index = 0
        while index < len(steps):
            self.between_steps()
            row = self.rows[f"{prefix}{index}"]
            if self.control.take_skip():
                self.recorder.step(row, status=StepStatus.SKIPPED, finished_at=timezone.now())
                index += 1
                continue
            if self.control.take_skip_back():
                index = self.step_back(steps, prefix, index, scope)
                continue
            outcome = self.run_step(steps[index], row, scope)
            if outcome == "back":
                index = self.step_back(steps, prefix, index, scope)
                continue
            index += 1
            if self.control.debug and outcome == "done" and index < len(steps):
                self.wait_while_paused(f"Debug: paused after step '{row.step_id}'.", force=True)

    def between_steps(self) -> None:
        if self.control.cancel_reason is not None:
            raise self.stopped()
        if self.control.pause_requested:
            self.wait_while_paused("Paused by request.")
            if self.control.cancel_reason is not None:
                raise self.stopped()

    def step_back(self, steps: list[dict], prefix: str, index: int, scope: Scope) -> int:
        """Reset the step at ``index`` and the one before it to pending and go back one."""
        self.reset(self.rows[f"{prefix}{index}"], scope)
        if index == 0:
            self.recorder.log(
                "warning", "Already at the first step: nothing to go back to.", prefix
            )
            return 0
        self.reset(self.rows[f"{prefix}{index - 1}"], scope)
        return index - 1

    def reset(self, row: StepRun, scope: Scope) -> None:
        scope.steps.pop(row.step_id, None)
        for path, other in self.rows.items():
            inside = path == row.path or path.startswith(f"{row.path}.")
            if inside and other.status != StepStatus.PENDING:
                self.recorder.reset(other)

    def execute(self, step: dict, row: StepRun, scope: Scope) -> dict[str, Any]:
        declared = get_step_type(step["type"])
        is_child = declared.composes
        self.control.begin_step(None if is_child else float(step["timeout"]))
        try:
            params = render_parameters(
                step.get("parameters", {}),
                self.template_context(scope),
                literal=untemplated_parameters(step["type"]),
            )
            if is_child:
                return self.run_child(step, row, params, scope)
            context = self.step_context(step, row, scope)
            outputs = handler_for(declared)(context, params) or {}
            self.control.check()
            return outputs
        finally:
            self.control.end_step()

    def run_child(self, step: dict, row: StepRun, params: dict, scope: Scope) -> dict[str, Any]:
        path = params.pop("playbook")
        child = child_playbook_load(self.execution.team, path, stack=scope.stack)
        values = child_values(path, child.parameters, params)
        parameters = self.credentials.resolve_parameters(child.parameters, values)
        self.credentials.mask_secret_parameters(child.parameters, parameters)
        child_scope = Scope(parameters=parameters, stack=(*scope.stack, path))
        for child_row in plan_children(self.execution, row, child.steps, child_scope.stack):
            self.rows.setdefault(child_row.path, child_row)
        try:
            self.run_steps(child.steps, f"{row.path}.", child_scope)
        except StepAborted as failure:
            raise StepAborted(f"Child playbook '{path}' failed: {failure}") from None
        return {
            "playbook": path,
            "status": "completed",
            "steps_executed": len(child_scope.steps),
            "steps": child_scope.steps,
        }

    # Helpers ----------------------------------------------------------------------------------
    def template_context(self, scope: Scope) -> TemplateContext:
        return TemplateContext(
            parameters=scope.parameters,
            variables=scope.variables,
            steps=scope.steps,
            credentials=self.credentials.lookup,
        )

    def step_context(self, step: dict, row: StepRun, scope: Scope) -> StepContext:
        return StepContext(
            execution_id=self.id,
            step_id=step["id"],
            step_type=step["type"],
            path=row.path,
            timeout_seconds=float(step["timeout"]),
            control=self.control,
            scope=scope,
            artifacts_dir=self.recorder.artifacts_dir,
            resources=self.resources,
            allow_python=settings.ALLOW_PYTHON_STEPS,
            write_log=lambda level, message: self.recorder.log(level, message, row.path),
            wait_while_paused=lambda: self.wait_while_paused("Paused by request."),
            save_artifact=lambda *args, **kwargs: self.recorder.artifact(row, *args, **kwargs),
            credentials=self.credentials,
            input_dirs=settings.WORKER_INPUT_DIRS,
        )

    def wait_while_paused(self, reason: str, *, force: bool = False) -> None:
        """Block while paused (``force`` pauses the run itself, as debug mode does)."""
        # What is queued is stored first: the paused status must follow the pause at once, or
        # the watcher's read of the row (not paused yet) would undo it.
        events_flush(self.id)
        if force:
            self.control.pause(True)
        execution_set_status(self.id, ExecutionStatus.PAUSED, reason=reason)
        while self.control.pause_requested and self.control.cancel_reason is None:
            self.resources.dispatch(self.control.commands)
            self.resources.idle(SLICE_SECONDS)
        if self.control.cancel_reason is None:
            execution_set_status(self.id, ExecutionStatus.RUNNING)
