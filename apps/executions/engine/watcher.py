"""A thread beside the engine: heartbeats, control messages, and interrupting steps."""

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection

from apps.executions.control_channel import control_parse, control_subscribe
from apps.executions.engine.control import RunControl
from apps.executions.engine.stopping import worker_stop_due
from apps.executions.services.lifecycle import execution_heartbeat

logger = logging.getLogger(__name__)
POLL_SECONDS = 0.05


class Watcher(threading.Thread):
    def __init__(self, execution_id: str, control: RunControl, *, run_timeout_seconds: int):
        super().__init__(name=f"watcher-{execution_id}", daemon=True)
        self.execution_id = execution_id
        self.control = control
        self.run_deadline = time.monotonic() + run_timeout_seconds
        self._finished = threading.Event()
        self._pubsub = control_subscribe(execution_id)

    def stop(self) -> None:
        """Ask the thread to end within one poll (``join`` waits for that)."""
        self._finished.set()

    def run(self) -> None:
        next_beat = 0.0
        try:
            while not self._finished.is_set():
                self._receive()
                if time.monotonic() >= next_beat:
                    self._heartbeat()
                    next_beat = time.monotonic() + settings.EXECUTION_HEARTBEAT_SECONDS
                if time.monotonic() > self.run_deadline:
                    self.control.cancel("run_timeout")
                if worker_stop_due():
                    self.control.cancel("worker_stopping")
                if self.control.interruption() is not None:
                    self.control.fire_interrupters()
        finally:
            self._pubsub.close()
            connection.close()

    def _receive(self) -> None:
        try:
            message = control_parse(self._pubsub.get_message(timeout=POLL_SECONDS))
        except Exception:  # noqa: BLE001 - Redis hiccup: the heartbeat re-reads the row
            logger.warning("Control channel of %s unavailable", self.execution_id)
            time.sleep(POLL_SECONDS)
            return
        if message is not None:
            apply_command(self.control, message)

    def _heartbeat(self) -> None:
        close_old_connections()
        read_at = time.monotonic()
        try:
            state = execution_heartbeat(self.execution_id)
        except Exception:  # noqa: BLE001 - a database blip must not kill the run
            logger.exception("Heartbeat of %s failed", self.execution_id)
            return
        if state is None:
            return
        if state["cancel_requested"]:
            self.control.cancel(by=state["finished_by_id"])
        self.control.pause_from_row(state["pause_requested"], read_at=read_at)
        self.control.debug = state["debug"]


def apply_command(control: RunControl, message: dict) -> None:
    """Apply one control message to the in-memory state."""
    command = message["command"]
    if command == "cancel":
        control.cancel(by=message.get("by"))
    elif command in ("pause", "resume"):
        control.pause(command == "pause")
    elif command in ("skip", "skip_back"):
        control.skip(back=command == "skip_back")
        control.pause(False)
    elif command == "debug":
        control.debug = bool(message.get("enabled"))
    else:
        control.commands.append(message)
