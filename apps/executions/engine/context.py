"""The engine's side of ``apps.steps.context.StepContext``: what a step handler gets."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apps.executions.engine.control import SLICE_SECONDS, RunControl
from apps.executions.engine.credentials import RunCredentials
from apps.executions.engine.resources import Resources
from apps.executions.frames import frame_publish, viewers_count


@dataclass
class Scope:
    """One playbook level of a run: its parameters, variables and step outputs."""

    parameters: dict[str, Any]
    variables: dict[str, Any] = field(default_factory=dict)
    steps: dict[str, Any] = field(default_factory=dict)
    stack: tuple[str, ...] = ()


class ChannelFrames:
    """The run's live view through the frame channel (Redis)."""

    def viewers(self, execution_id: str) -> int:
        return viewers_count(execution_id)

    def publish(self, execution_id: str, jpeg: bytes, *, width: int, height: int) -> None:
        frame_publish(execution_id, jpeg, width=width, height=height)


@dataclass
class StepContext:
    """One attempt of one step in a run (implements ``apps.steps.context.StepContext``)."""

    execution_id: str
    step_id: str
    step_type: str
    path: str
    timeout_seconds: float
    control: RunControl
    scope: Scope
    artifacts_dir: Path
    resources: Resources
    allow_python: bool
    write_log: Callable[[str, str], None]
    wait_while_paused: Callable[[], None]
    save_artifact: Callable[..., Any]
    # The run's credential resolver: the only way a step reaches the vault, so every secret it
    # gets is audited and masked. None outside a run.
    credentials: RunCredentials | None = None
    # Folders of the worker whose files file parameters may name besides the run's own folder.
    input_dirs: tuple[Path, ...] = ()
    frames: ChannelFrames = field(default_factory=ChannelFrames)

    @property
    def debug(self) -> bool:
        return self.control.debug

    def check(self) -> None:
        """Raise ``StepInterrupted`` if the step must stop; block here while the run is paused.

        Live commands sent to the run (clicks in the browser view) are handled here too.
        """
        if self.control.commands:
            self.resources.dispatch(self.control.commands)
        self.control.check()
        if self.control.pause_requested:
            paused_at = time.monotonic()
            self.wait_while_paused()
            self.control.extend_deadline(time.monotonic() - paused_at)
            self.control.check()

    def sleep(self, seconds: float) -> None:
        """Sleep, stopping within a slice on cancel/skip/timeout and not counting paused time."""
        remaining = float(seconds)
        while remaining > 0:
            self.check()
            slice_seconds = min(SLICE_SECONDS, remaining)
            self.resources.idle(slice_seconds)
            remaining -= slice_seconds
        self.check()

    def log(self, message: str, level: str = "info") -> None:
        self.write_log(level, message)

    def set_variable(self, name: str, value: Any) -> None:
        self.scope.variables[name] = value

    def get_variable(self, name: str, default: Any = None) -> Any:
        return self.scope.variables.get(name, default)

    def add_interrupter(self, interrupter: Callable[[], None]) -> None:
        self.control.add_interrupter(interrupter)
