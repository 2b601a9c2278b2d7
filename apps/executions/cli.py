"""What the executions management commands share: names to objects, following a run, tables.

The commands (``run_playbook``, ``list_executions``, ``cancel_execution``) stay thin: they call
these helpers and the services. Bad input raises ``CommandError`` with exit code 2; a run that
ends in anything but ``completed`` exits 1.
"""

import argparse
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.management.base import CommandError, OutputWrapper
from django.utils import timezone

from apps.accounts.models import User
from apps.core.errors import ApplicationError
from apps.credentials.selectors import credential_get_by_name_for_user
from apps.executions.events import EventType
from apps.executions.models import Execution, ExecutionEvent, ExecutionStatus, StepRun
from apps.executions.selectors import (
    execution_events_since,
    execution_get_for_user,
    execution_steps,
)
from apps.gateways.models import Gateway
from apps.gateways.selectors import gateway_list_for_user
from apps.playbooks.models import Playbook
from apps.playbooks.selectors import playbook_list_for_user, playbook_normalise_path

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130
POLL_SECONDS = 0.2
BAR_WIDTH = 20
ERROR_WIDTH = 60
STEP_DONE = ("completed", "failed", "skipped", "cancelled")


def bad_input(message: str) -> CommandError:
    return CommandError(message, returncode=EXIT_BAD_INPUT)


# Names to objects ---------------------------------------------------------------------------
def cli_user(username: str | None) -> User:
    """The named user, or the first active superuser when no name is given."""
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise bad_input(f"No user named '{username}'.")
        return user
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        raise bad_input("No superuser exists: pass --user USERNAME.")
    return user


def cli_playbook(user: User, path: str, team: str | None = None) -> Playbook:
    """The one playbook at library ``path`` that ``user`` sees (in ``team`` when given)."""
    normalised = playbook_normalise_path(path)
    playbooks = playbook_list_for_user(user).filter(path=normalised)
    if team:
        playbooks = playbooks.filter(team__name=team)
    found = list(playbooks.order_by("team__name"))
    where = f" in team '{team}'" if team else ""
    if not found:
        raise bad_input(f"No playbook at '{normalised}'{where} that {user.username} can see.")
    if len(found) > 1:
        teams = ", ".join(playbook.team.name for playbook in found)
        raise bad_input(
            f"Playbook '{normalised}' exists in several teams ({teams}): choose one with --team."
        )
    return found[0]


def cli_parameters(pairs: Iterable[str]) -> dict[str, str]:
    """``["a=1", "b=x=y"]`` → ``{"a": "1", "b": "x=y"}``; the playbook types them later."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise bad_input(f"--param '{pair}' must look like NAME=VALUE.")
        if name in values:
            raise bad_input(f"--param '{name}' is given twice.")
        values[name] = value
    return values


def cli_gateway(user: User, playbook: Playbook, name: str | None) -> Gateway | None:
    """The gateway called ``name`` in the playbook's team, or ``None`` when no name is given."""
    if not name:
        return None
    gateway = gateway_list_for_user(user).filter(team=playbook.team, name=name).first()
    if gateway is None:
        raise bad_input(f"No gateway named '{name}' in team '{playbook.team.name}'.")
    return gateway


def cli_fill_credential(
    user: User, playbook: Playbook, values: dict[str, str], name: str | None
) -> dict[str, str]:
    """Put credential ``name`` into the one credential parameter ``--param`` left unset."""
    if not name:
        return values
    try:
        credential_get_by_name_for_user(user, playbook.team, name)
    except ApplicationError as exc:
        raise bad_input(exc.message) from None
    declared = playbook.current_version.parameters if playbook.current_version else []
    names = [d["name"] for d in declared if d.get("type") == "credential"]
    unset = [parameter for parameter in names if parameter not in values]
    if not names:
        raise bad_input(f"Playbook '{playbook.path}' has no credential parameter for --credential.")
    if len(unset) != 1:
        listed = ", ".join(f"'{parameter}'" for parameter in names)
        raise bad_input(
            f"--credential is ambiguous: playbook '{playbook.path}' has credential parameters "
            f"{listed} and {len(unset)} of them unset; set them with --param NAME=CREDENTIAL."
        )
    return {**values, unset[0]: name}


def cli_execution(user: User, execution_id: str) -> Execution:
    """The run with this id that ``user`` may see."""
    try:
        return execution_get_for_user(user, execution_id)
    except ApplicationError as exc:
        raise bad_input(exc.message) from None


# Tables -------------------------------------------------------------------------------------
def format_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Columns padded to their widest cell, a dashed rule under the headers."""
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [
        max([len(header)] + [len(row[i]) for row in cells]) for i, header in enumerate(headers)
    ]

    def line(row: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(width) for cell, width in zip(row, widths, strict=True)
        ).rstrip()

    return "\n".join(
        [line(headers), line(["-" * width for width in widths])] + [line(row) for row in cells]
    )


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 60:
        return f"{seconds:.2f} s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def first_line(text: str, width: int = ERROR_WIDTH) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= width else line[: width - 3] + "..."


def steps_table(execution: Execution) -> str:
    rows = [_step_row(step) for step in execution_steps(execution)]
    return format_table(["STEP", "ID", "TYPE", "STATUS", "TRIES", "DURATION", "ERROR"], rows)


def _step_row(step: StepRun) -> list[str]:
    indent = "  " * step.path.count(".")
    return [
        f"{indent}{step.path}",
        step.step_id,
        step.type,
        step.status,
        str(step.attempts),
        format_duration(step.duration_seconds),
        first_line(step.error),
    ]


def executions_table(executions: Iterable[Execution]) -> str:
    headers = ["ID", "PLAYBOOK", "STATUS", "REQUESTED BY", "GATEWAY", "QUEUED", "DURATION"]
    return format_table(headers, [_execution_row(execution) for execution in executions])


def _execution_row(execution: Execution) -> list[str]:
    duration = None
    if execution.started_at and execution.finished_at:
        duration = (execution.finished_at - execution.started_at).total_seconds()
    return [
        str(execution.pk),
        execution.playbook_name,
        execution.status,
        execution.requested_by.username if execution.requested_by else "-",
        execution.gateway.name if execution.gateway else "-",
        timezone.localtime(execution.queued_at).strftime("%Y-%m-%d %H:%M:%S"),
        format_duration(duration),
    ]


# Following a run ----------------------------------------------------------------------------
class RunFollower:
    """Prints a run's stored events as they arrive until its ``execution.finished`` event."""

    def __init__(
        self,
        execution: Execution,
        out: OutputWrapper,
        *,
        poll_seconds: float = POLL_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.execution = execution
        self.out = out
        self.poll_seconds = poll_seconds
        self.sleep = sleep
        self.states = {step.path: step.status for step in execution_steps(execution)}
        self.seq = 0

    def follow(self) -> Execution:
        """Print progress until the run ends; return the finished row."""
        finished = False
        while not finished:
            events = list(execution_events_since(self.execution, self.seq)[:500])
            for event in events:
                self.seq = event.seq
                finished = self.show(event) or finished
            if not events:
                self.sleep(self.poll_seconds)
        return Execution.objects.select_related("finished_by").get(pk=self.execution.pk)

    def show(self, event: ExecutionEvent) -> bool:
        """Print one event; ``True`` when it is the run's final event."""
        payload = event.payload
        line = None
        if event.type == EventType.STEP:
            line = self.step_line(payload)
        elif event.type == EventType.LOG:
            line = f"  log {payload['level']}: {payload['message']}"
        elif event.type == EventType.STATUS:
            line = _status_line(payload)
        elif event.type == EventType.CONTROL:
            line = f"  control: {payload['command']} by {payload['by']}"
        elif event.type == EventType.FINISHED:
            reason = f": {payload['reason']}" if payload.get("reason") else ""
            line = f"Run {payload['status']}{reason}"
        if line is not None:
            self.out.write(line)
            self.out.flush()
        return event.type == EventType.FINISHED

    def step_line(self, payload: dict[str, Any]) -> str:
        self.states[payload["path"]] = payload["status"]
        done = sum(status in STEP_DONE for status in self.states.values())
        total = len(self.states)
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        text = (
            f"[{bar}] {done}/{total} {payload['status']:<9} {payload['path']} {payload['step_id']}"
        )
        if payload["status"] == "running" and payload["attempts"] > 1:
            text += f" (attempt {payload['attempts']})"
        if payload["error"]:
            text += f": {first_line(payload['error'])}"
        return text


def _status_line(payload: dict[str, Any]) -> str | None:
    status = payload["status"]
    if status == ExecutionStatus.RUNNING:
        worker = payload.get("worker")
        return f"Running on {worker}." if worker else "Resumed."
    if status == ExecutionStatus.PAUSED:
        return f"Paused: {payload.get('reason') or 'by request.'}"
    return None


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not '{text}'")
    return value
