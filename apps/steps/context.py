"""What a step handler gets from the engine: the ``StepContext`` contract.

A handler is ``run(context: StepContext, params: dict) -> dict``. Everything it needs from the
run comes through the context, so handlers (built-in or third-party) never import the engine,
the Celery app or the ORM. The engine's ``apps.executions.engine.context.StepContext``
implements it; tests may pass any object with the same members.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from apps.credentials.services import ResolvedCredential


class CredentialResolver(Protocol):
    """The run's vault credentials: resolved by the engine, audited on first use, and every
    secret added to the run's masker before the step sees it."""

    def lookup(self, name: str) -> ResolvedCredential:
        """Credential ``name`` the run may use; raises when there is none."""

    def find(self, name: str, *, purpose: str = "") -> ResolvedCredential | None:
        """Credential ``name`` the run may use, or ``None``."""

    def of_kind(self, kind: str, *, purpose: str = "") -> list[ResolvedCredential]:
        """The run's credentials of ``kind`` (a ``CredentialKind`` value), by name."""


class RunResources(Protocol):
    """Objects that live as long as the run: its browser session and gateway client.

    ``get`` opens one on first use (``factory``) and ``close`` is called when the run ends.
    """

    def get(
        self, key: str, factory: Callable[[], Any], *, close: Callable[[Any], Any] | None = None
    ) -> Any:
        """The run's ``key`` resource, opened by ``factory`` on first use."""

    def peek(self, key: str) -> Any:
        """The run's ``key`` resource, or ``None`` when it was never opened."""

    def idle(self, seconds: float) -> None:
        """Wait while letting the open resources do their background work."""

    def set_idler(self, idler: Callable[[float], None] | None) -> None:
        """What ``idle`` runs instead of sleeping (the browser's event loop)."""

    def add_snapshotter(self, snapshotter: Callable[[], dict[str, Any]]) -> None:
        """Add what a debug snapshot of the run shows (the page's screenshot and HTML)."""

    def add_command_handler(self, command: str, handler: Callable[[dict[str, Any]], None]) -> None:
        """Handle a live command sent to the run (a click in the browser view)."""


class LiveFrames(Protocol):
    """The run's live view: how many people watch it and where its frames go."""

    def viewers(self, execution_id: str) -> int:
        """How many pages show the run's live view now."""

    def publish(self, execution_id: str, jpeg: bytes, *, width: int, height: int) -> None:
        """Send one JPEG frame of the page (``width`` x ``height`` CSS pixels) to them."""


class Scope(Protocol):
    """One playbook level: its resolved parameters, variables and earlier step outputs."""

    parameters: dict[str, Any]
    variables: dict[str, Any]
    steps: dict[str, Any]


class StepContext(Protocol):
    """One attempt of one step, as its handler sees it.

    ``check`` raises when the step must stop (cancel, skip, timeout) and blocks while the run is
    paused; handlers call it between actions and use ``sleep`` instead of ``time.sleep``.
    """

    execution_id: str
    step_id: str
    step_type: str
    path: str
    timeout_seconds: float
    debug: bool
    scope: Scope
    artifacts_dir: Path
    input_dirs: tuple[Path, ...]
    allow_python: bool
    credentials: CredentialResolver | None
    resources: RunResources
    frames: LiveFrames

    def check(self) -> None:
        """Raise if the step must stop; block here while the run is paused."""

    def sleep(self, seconds: float) -> None:
        """Sleep, stopping within half a second on cancel, skip or timeout."""

    def log(self, message: str, level: str = "info") -> None:
        """Write to the run's log (masked)."""

    def save_artifact(
        self,
        kind: str,
        name: str,
        *,
        data: bytes | str | None = None,
        source: Path | None = None,
        content_type: str = "",
    ) -> Any:
        """Store a file of the step with the run, its secrets masked; the stored artifact."""

    def set_variable(self, name: str, value: Any) -> None:
        """Set a run variable of this playbook level."""

    def get_variable(self, name: str, default: Any = None) -> Any:
        """A run variable of this playbook level."""

    def add_interrupter(self, interrupter: Callable[[], None]) -> None:
        """Call ``interrupter`` when the step must stop (to break a blocking call)."""
