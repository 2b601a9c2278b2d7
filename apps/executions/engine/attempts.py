"""One step's attempts: run it, retry it, and record how it ended (done, failed, skipped, back).

A step never swallows the end of its run: a cancel, the whole-run timeout, a stopping worker or
Celery's time limit for the task (``SoftTimeLimitExceeded``, raised wherever the engine is when
a step outlived the run's timeout) ends the step with the run and goes up to ``Runner.run``.
"""

import time

from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from apps.executions.children import ChildPlaybookError
from apps.executions.commands import Interruption, StopReason
from apps.executions.engine.context import Scope
from apps.executions.engine.control import SLICE_SECONDS, StepInterrupted
from apps.executions.engine.stopping import worker_stop_reason
from apps.executions.models import ExecutionStatus, StepRun, StepStatus
from apps.executions.selectors import execution_step_edit
from apps.reports.services import report_record


class RunStopped(Exception):
    """The run ends now with ``status`` (cancelled, or failed on the whole-run timeout)."""

    def __init__(self, status: str, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


class StepAborted(Exception):
    """A step failed with ``on_failure: abort``: the run (or the child playbook) fails."""


def run_timeout_reason(seconds: int) -> str:
    """Why a run (and its running step) ended at the run's whole-run timeout."""
    return f"Run timed out after {seconds} s."


class StepAttempts:
    """The per-step half of ``Runner``: attempts, retries, and how each attempt ended.

    It uses the runner's ``control``, ``recorder``, ``masker``, ``resources`` and ``execution``,
    and its ``execute``, ``stopped`` and ``wait_while_paused``.
    """

    def run_step(self, step: dict, row: StepRun, scope: Scope) -> str:
        """Run one step with its retries; return ``done``, ``skipped`` or ``back``."""
        attempts_allowed = 1 + int(step.get("retry_count", 0))
        attempt = 0
        while True:
            attempt += 1
            self.recorder.step_started(row)
            try:
                outputs = self.execute(step, row, scope)
            except StepInterrupted as interruption:
                outcome = self.interrupted(interruption.reason, row)
                if outcome is not None:
                    return outcome
                error = f"Step timed out after {step['timeout']:g} seconds"
            except (RunStopped, SoftTimeLimitExceeded):
                # The run ends (a child playbook's step stopped it, or Celery's limit for the
                # task came): this step ends with it, without a retry.
                self.end_with_run(row)
                raise
            except (StepAborted, ChildPlaybookError) as exc:
                error = str(exc)
            except Exception as exc:  # noqa: BLE001 - a step's failure is data, not a crash
                error = str(exc) or type(exc).__name__
            else:
                scope.steps[step["id"]] = outputs
                self.completed(step, row, outputs)
                return "done"
            outcome = self.failed(step, row, scope, error, attempt, attempts_allowed)
            if outcome is not None:
                return outcome
            step = self.edited(step, row)

    def completed(self, step: dict, row: StepRun, outputs: dict) -> None:
        """Record the step as completed; a ``fat.*`` step's report becomes (or updates) the
        run's report row, from the outputs as stored (secrets masked)."""
        self.recorder.step_completed(row, outputs)
        if step["type"].startswith("fat."):
            report_record(self.execution.pk, row.path, row.outputs)

    def edited(self, step: dict, row: StepRun) -> dict:
        """The step as last edited from the debug panel, or ``step`` itself."""
        edit = execution_step_edit(self.execution.pk, row.path)
        if edit is None or edit == step:
            return step
        self.recorder.step(row, name=edit["name"], type=edit["type"])
        self.recorder.log("info", f"Running step '{edit['id']}' as edited.", row.path)
        return edit

    def interrupted(self, reason: Interruption, row: StepRun) -> str | None:
        if reason == Interruption.CANCEL:
            self.end_with_run(row)
            raise self.stopped()
        if reason == Interruption.SKIP:
            self.control.take_skip()
            self.recorder.step(
                row,
                status=StepStatus.SKIPPED,
                error="Skipped by request.",
                finished_at=timezone.now(),
            )
            return "skipped"
        if reason == Interruption.SKIP_BACK:
            self.control.take_skip_back()
            return "back"
        return None

    def end_with_run(self, row: StepRun) -> None:
        """Record the running step as ended by its run's end: cancelled by a person, failed on
        the run's timeout (or Celery's limit for the task) or a stopping worker."""
        self.control.cancel(
            StopReason.RUN_TIMEOUT
        )  # no-op once stopped: only Celery's limit lacks one
        if self.control.cancel_reason == StopReason.WORKER_STOPPING:
            self.recorder.step_failed(row, "Worker stopping.")
        elif self.control.cancel_reason == StopReason.RUN_TIMEOUT:
            self.recorder.step_failed(row, run_timeout_reason(self.execution.timeout_seconds))
        else:
            self.recorder.step(row, status=StepStatus.CANCELLED, finished_at=timezone.now())

    def stopped(self) -> RunStopped:
        """How the run ends now that it was told to stop (``control.cancel_reason``)."""
        if self.control.cancel_reason == StopReason.RUN_TIMEOUT:
            reason = run_timeout_reason(self.execution.timeout_seconds)
            return RunStopped(ExecutionStatus.FAILED, reason)
        if self.control.cancel_reason == StopReason.WORKER_STOPPING:
            return RunStopped(ExecutionStatus.ERROR, worker_stop_reason())
        by = self.recorder.username(self.control.cancelled_by)
        return RunStopped(ExecutionStatus.CANCELLED, f"Cancelled by {by}." if by else "Cancelled.")

    def failed(
        self, step, row, scope, error: str, attempt: int, attempts_allowed: int
    ) -> str | None:
        """Handle a failed attempt: debug pause, retry, continue or abort."""
        if self.control.debug:
            self.recorder.debug_context(row, step, scope, error, self.resources.debug_snapshot())
            self.recorder.step_failed(row, error)
            self.wait_while_paused(
                f"Debug: step '{step['id']}' failed. Resume to run it again, or skip it.",
                force=True,
            )
            if self.control.cancel_reason is not None:
                raise self.stopped()
            if self.control.take_skip():
                return "skipped"
            if self.control.take_skip_back():
                return "back"
            return None
        if attempt < attempts_allowed:
            delay = float(step.get("retry_delay", 0))
            self.recorder.log(
                "warning", f"Attempt {attempt} failed: {error}. Retrying in {delay:g} s.", row.path
            )
            self.sleep(delay)
            return None
        self.recorder.step_failed(row, error)
        if step.get("on_failure") == "continue":
            self.recorder.log("warning", f"Step '{step['id']}' failed; continuing.", row.path)
            return "done"
        raise StepAborted(f"Step '{step['id']}' failed: {self.masker.mask(error)}")

    def sleep(self, seconds: float) -> None:
        """Sleep between attempts; cancel ends the run at once."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.control.cancel_reason is not None:
                raise self.stopped()
            self.resources.idle(SLICE_SECONDS)
