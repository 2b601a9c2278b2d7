"""A real StepContext for step handlers, outside the engine: artifacts go to a folder."""

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from apps.executions.engine.context import Scope, StepContext
from apps.executions.engine.control import RunControl
from apps.executions.engine.resources import Resources
from apps.steps.registry import get_step_type, handler_for


@dataclass
class SavedArtifact:
    kind: str
    name: str
    path: Path
    content_type: str


class Harness:
    """One run's resources; ``step(type, **params)`` runs a handler the way the engine does."""

    def __init__(
        self,
        folder: Path,
        parameters: dict | None = None,
        execution_id: str = "exec-step-tests",
        credentials=None,
        input_dirs: tuple[Path, ...] = (),
    ) -> None:
        self.folder = folder
        self.input_dirs = input_dirs
        self.parameters = dict(parameters or {})
        self.execution_id = execution_id
        self.credentials = credentials
        self.resources = Resources()
        self.artifacts: list[SavedArtifact] = []
        self.logs: list[tuple[str, str]] = []

    def context(self, step_type: str = "browser.test", *, control=None, timeout=60) -> StepContext:
        """A step's context; without ``control``, one of a step attempt of its own."""
        if control is None:
            control = RunControl()
            control.begin_step(timeout)
        return StepContext(
            execution_id=self.execution_id,
            step_id=step_type.rsplit(".", 1)[-1],
            step_type=step_type,
            path="0",
            timeout_seconds=timeout,
            control=control,
            scope=Scope(parameters=self.parameters),
            artifacts_dir=self.folder,
            resources=self.resources,
            allow_python=False,
            write_log=lambda level, message: self.logs.append((level, message)),
            wait_while_paused=lambda: None,
            save_artifact=self.save_artifact,
            credentials=self.credentials,
            input_dirs=self.input_dirs,
        )

    def step(self, step_type: str, *, control=None, step_timeout=60, **params) -> dict:
        control = control or RunControl()
        control.begin_step(step_timeout)
        try:
            context = self.context(step_type, control=control, timeout=step_timeout)
            outputs = handler_for(get_step_type(step_type))(context, params)
            control.check()
            return outputs
        finally:
            control.end_step()

    def save_artifact(self, kind, name, *, data=None, source=None, content_type=""):
        first = target = self.folder / name.replace("/", "_")
        counter = 1
        while target.exists():
            counter += 1
            target = self.folder / f"{first.stem}-{counter}{first.suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        if source is not None:
            Path(source).replace(target)
        else:
            target.write_bytes(data.encode() if isinstance(data, str) else data)
        artifact = SavedArtifact(kind, target.name, target, content_type)
        self.artifacts.append(artifact)
        return artifact

    def kinds(self, kind: str) -> list[SavedArtifact]:
        return [a for a in self.artifacts if a.kind == kind]

    @property
    def page(self) -> "PageOnPlaywrightSide":
        return PageOnPlaywrightSide(self.resources.peek("browser"))

    def close(self) -> None:
        self.resources.close()


class PageOnPlaywrightSide:
    """The run's page for test code: every call runs on Playwright's side of the thread."""

    def __init__(self, session) -> None:
        self._session = session

    def __getattr__(self, name: str):
        with self._session.switch.playwright_side():
            value = getattr(self._session.page, name)
        return self._session.switch.wrap(value) if callable(value) else value


def interrupt_later(control: RunControl, seconds: float, command: str = "cancel"):
    """From another thread: send ``command`` after ``seconds``, then act as the watcher does."""

    def send() -> None:
        time.sleep(seconds)
        if command == "cancel":
            control.cancel()
        else:
            control.skip()
        deadline = time.monotonic() + 5
        while control.interruption() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        control.fire_interrupters()

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread
