"""What a run's reports show: its steps as a tree, each with its log lines and artifacts.

Everything comes from what the run stored, and secrets were masked before they were stored
(parameters keep ``$encrypted$`` and credential names, outputs, errors and log lines carry
``[SECURE]``). As a second guard, every text of a report goes through a ``Masker`` that knows
the run's secret parameter values.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse

from apps.executions.engine.masking import Masker
from apps.executions.events import EventType
from apps.executions.models import Artifact, Execution, StepRun, StepStatus
from apps.executions.selectors import execution_events_since, execution_steps


@dataclass
class StepEntry:
    row: StepRun
    log: list[str] = field(default_factory=list)
    artifacts: list[Artifact] = field(default_factory=list)
    children: list["StepEntry"] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.row.name or self.row.step_id

    @property
    def child_playbook(self) -> str:
        """The playbook a ``playbook.run`` step ran (its label when it never started)."""
        return str((self.row.outputs or {}).get("playbook") or self.label)


@dataclass
class RunReport:
    execution: Execution
    steps: list[StepEntry]
    log: list[str]
    masker: Masker

    def walk(self, entries: list[StepEntry] | None = None):
        """Every step, depth first, in run order."""
        for entry in self.steps if entries is None else entries:
            yield entry
            yield from self.walk(entry.children)

    def count(self, *statuses: str) -> int:
        return sum(entry.row.status in statuses for entry in self.walk())

    @property
    def failed(self) -> int:
        return self.count(StepStatus.FAILED)


def api_artifact_url(artifact: Artifact) -> str:
    """The API path of an artifact's file (token and JWT clients may follow it)."""
    return reverse("api-execution-artifact", args=[artifact.execution_id, artifact.pk])


def run_masker(execution: Execution) -> Masker:
    masker = Masker()
    for value in execution.secret_parameters_values().values():
        masker.add(str(value))
    return masker


def log_line(created_at: datetime, level: str, message: str) -> str:
    return f"{created_at.isoformat(timespec='seconds')} {level.upper():<7} {message}"


def run_report_load(execution: Execution) -> RunReport:
    """The run's report data: one query each for steps, artifacts and log events."""
    masker = run_masker(execution)
    entries = {row.path: StepEntry(row) for row in execution_steps(execution)}
    for artifact in execution.artifacts.select_related("step_run"):
        if artifact.step_run_id is not None and artifact.step_run.path in entries:
            entries[artifact.step_run.path].artifacts.append(artifact)
    run_log = []
    events = execution_events_since(execution, 0).filter(type=EventType.LOG)
    for event in events:
        payload = event.payload
        line = masker.mask_text(
            log_line(event.created_at, payload.get("level", "info"), payload.get("message", ""))
        )
        run_log.append(line)
        if payload.get("path") in entries:
            entries[payload["path"]].log.append(line)
    top = []
    for path, entry in entries.items():
        parent = path.rpartition(".")[0]
        (entries[parent].children if parent in entries else top).append(entry)
    return RunReport(execution=execution, steps=top, log=run_log, masker=masker)
