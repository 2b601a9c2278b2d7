"""Things a run opens once and shares with nested playbooks (browser, gateway clients)."""

import logging
import time
from collections.abc import Callable
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded

logger = logging.getLogger(__name__)


class Resources:
    def __init__(self) -> None:
        self._items: dict[str, Any] = {}
        self._closers: list[tuple[str, Callable[[], None]]] = []
        self._snapshotters: list[Callable[[], dict[str, Any]]] = []
        self._idler: Callable[[float], None] | None = None
        self._command_handlers: dict[str, Callable[[dict], None]] = {}

    def get(
        self, key: str, factory: Callable[[], Any], *, close: Callable[[Any], None] | None = None
    ):
        """The run's ``key`` resource, created on first use and closed when the run ends."""
        if key not in self._items:
            item = factory()
            self._items[key] = item
            if close is not None:
                self._closers.append((key, lambda: close(item)))
        return self._items[key]

    def peek(self, key: str) -> Any:
        return self._items.get(key)

    def add_snapshotter(self, snapshotter: Callable[[], dict[str, Any]]) -> None:
        """Register something that adds to a debug context (a browser's screenshot and HTML)."""
        self._snapshotters.append(snapshotter)

    def debug_snapshot(self) -> dict[str, Any]:
        snapshot: dict[str, Any] = {}
        for snapshotter in self._snapshotters:
            try:
                snapshot.update(snapshotter())
            except Exception as exc:  # noqa: BLE001 - a failed snapshot must not hide the failure
                snapshot.setdefault("snapshot_errors", []).append(str(exc))
        return snapshot

    def set_idler(self, idler: Callable[[float], None] | None) -> None:
        """Let a resource use idle time (a browser pumps its events and live frames)."""
        self._idler = idler

    def idle(self, seconds: float) -> None:
        """Wait ``seconds``, giving the time to the idler when there is one."""
        if self._idler is None:
            time.sleep(seconds)
            return
        try:
            self._idler(seconds)
        except SoftTimeLimitExceeded:
            raise  # Celery's limit for the task ends the run, wherever it lands
        except Exception:  # noqa: BLE001 - idling must never break the waiting code
            logger.warning("Run resource idler failed", exc_info=True)
            time.sleep(seconds)

    def add_command_handler(self, command: str, handler: Callable[[dict], None]) -> None:
        """Handle live commands named ``command`` (e.g. ``browser.click``) sent to the run."""
        self._command_handlers[command] = handler

    def dispatch(self, commands: list[dict]) -> None:
        """Run the handlers of pending live commands (in the engine thread), oldest first."""
        while commands:
            message = commands.pop(0)
            handler = self._command_handlers.get(message.get("command", ""))
            if handler is None:
                logger.info("No handler for live command %s", message.get("command"))
                continue
            try:
                handler(message)
            except Exception:  # noqa: BLE001 - a bad click must not end the run
                logger.warning("Live command %s failed", message.get("command"), exc_info=True)

    def close(self) -> None:
        for key, closer in reversed(self._closers):
            try:
                closer()
            except Exception:  # noqa: BLE001 - closing the rest matters more
                logger.warning("Closing run resource %s failed", key, exc_info=True)
        self._closers.clear()
        self._items.clear()
