"""A real StepContext for gateway handlers, outside the engine: artifacts go to a folder."""

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from apps.credentials.services import ResolvedCredential
from apps.executions.engine.context import Scope, StepContext
from apps.executions.engine.control import RunControl
from apps.executions.engine.resources import Resources
from apps.steps.handlers import get_handler
from tests.gateways.client.sim import TOKEN


def credential(kind: str = "username_password", gateway_url: str = "", **fields):
    """A decrypted vault credential as the engine hands it to steps."""
    values = {"username": "admin", "secret": "password"}
    if kind == "api_token":
        values = {"username": "", "secret": TOKEN}
    values.update(fields)
    return ResolvedCredential(
        name=f"{kind}-credential",
        kind=kind,
        gateway_url=gateway_url,
        description="",
        **values,
    )


@dataclass
class SavedArtifact:
    kind: str
    name: str
    path: Path
    content_type: str


class Harness:
    """One run's resources; ``step(type, **params)`` runs a handler the way the engine does."""

    def __init__(self, folder: Path, parameters: dict | None = None) -> None:
        self.folder = folder
        self.parameters = dict(parameters or {})
        self.resources = Resources()
        self.artifacts: list[SavedArtifact] = []
        self.logs: list[tuple[str, str]] = []

    def step(self, step_type: str, *, control=None, step_timeout=30, **params) -> dict:
        control = control or RunControl()
        control.begin_step(step_timeout)
        try:
            context = StepContext(
                execution_id="exec-gateway-tests",
                step_id=step_type.rsplit(".", 1)[-1],
                step_type=step_type,
                path="0",
                timeout_seconds=step_timeout,
                control=control,
                scope=Scope(parameters=self.parameters),
                artifacts_dir=self.folder,
                resources=self.resources,
                allow_python=False,
                write_log=lambda level, message: self.logs.append((level, message)),
                wait_while_paused=lambda: None,
                save_artifact=self.save_artifact,
            )
            outputs = get_handler(step_type)(context, params)
            control.check()
            return outputs
        finally:
            control.end_step()

    def save_artifact(self, kind, name, *, data=None, source=None, content_type=""):
        target = self.folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source is not None:
            Path(source).replace(target)
        else:
            target.write_bytes(data.encode() if isinstance(data, str) else data)
        artifact = SavedArtifact(kind, target.name, target, content_type)
        self.artifacts.append(artifact)
        return artifact

    def close(self) -> None:
        self.resources.close()


def cancel_later(control: RunControl, seconds: float) -> threading.Thread:
    """From another thread: cancel after ``seconds`` and fire the interrupters (the watcher)."""

    def send() -> None:
        time.sleep(seconds)
        control.cancel()
        control.fire_interrupters()

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread
