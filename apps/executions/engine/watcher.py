"""A thread beside the engine: heartbeats, control messages, and interrupting steps."""

import contextlib
import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connection

from apps.core.outage import OutageLog
from apps.executions.commands import ExecutionCommand, StopReason
from apps.executions.control_channel import control_parse, control_subscribe
from apps.executions.engine.control import RunControl
from apps.executions.engine.stopping import worker_stop_due
from apps.executions.services.lifecycle import execution_heartbeat

logger = logging.getLogger(__name__)
POLL_SECONDS = 0.05
# While the database is unreachable the heartbeat is tried this often, so it is written again
# soon after the database is back (and the run is not taken for lost).
HEARTBEAT_RETRY_SECONDS = 1.0


class Watcher(threading.Thread):
    def __init__(self, execution_id: str, control: RunControl, *, run_timeout_seconds: int):
        super().__init__(name=f"watcher-{execution_id}", daemon=True)
        self.execution_id = execution_id
        self.control = control
        self.run_deadline = time.monotonic() + run_timeout_seconds
        self._finished = threading.Event()
        self._pubsub = None  # subscribed on first use: Redis may be down now
        self._redis = OutageLog(
            logger,
            f"Control channel of run {execution_id} (Redis)",
            meanwhile="Controls take effect at the run's next heartbeat.",
        )
        self._database = OutageLog(
            logger,
            f"Heartbeat of run {execution_id} (database)",
            meanwhile="The run goes on; its heartbeat is written again when the database is back.",
        )

    def stop(self) -> None:
        """Ask the thread to end within one poll (``join`` waits for that)."""
        self._finished.set()

    def run(self) -> None:
        next_beat = 0.0
        try:
            while not self._finished.is_set():
                self._receive()
                if time.monotonic() >= next_beat:
                    beat = self._heartbeat()
                    pause = (
                        settings.EXECUTION_HEARTBEAT_SECONDS if beat else HEARTBEAT_RETRY_SECONDS
                    )
                    next_beat = time.monotonic() + pause
                if time.monotonic() > self.run_deadline:
                    self.control.cancel(StopReason.RUN_TIMEOUT)
                if worker_stop_due():
                    self.control.cancel(StopReason.WORKER_STOPPING)
                if self.control.interruption() is not None:
                    self.control.fire_interrupters()
        finally:
            self._close_pubsub()
            connection.close()

    def _close_pubsub(self) -> None:
        pubsub, self._pubsub = self._pubsub, None
        if pubsub is not None:
            with contextlib.suppress(Exception):
                pubsub.close()

    def _receive(self) -> None:
        try:
            if self._pubsub is None:
                self._pubsub = control_subscribe(self.execution_id)
            message = control_parse(self._pubsub.get_message(timeout=POLL_SECONDS))
        except Exception as exc:  # noqa: BLE001 - Redis hiccup: the heartbeat re-reads the row
            self._redis.failed(exc)
            self._close_pubsub()  # subscribe afresh once Redis answers again
            time.sleep(POLL_SECONDS)
            return
        self._redis.succeeded()
        if message is not None:
            apply_command(self.control, message)

    def _heartbeat(self) -> float:
        """Write the heartbeat and apply the row's requested state; the seconds to the next."""
        close_old_connections()
        read_at = time.monotonic()
        try:
            state = execution_heartbeat(self.execution_id)
        except Exception as exc:  # noqa: BLE001 - a database blip must not kill the run
            self._database.failed(exc)
            return HEARTBEAT_RETRY_SECONDS
        self._database.succeeded()
        if state is None:
            return settings.EXECUTION_HEARTBEAT_SECONDS
        if state["cancel_requested"]:
            self.control.cancel(by=state["finished_by_id"])
        self.control.pause_from_row(state["pause_requested"], read_at=read_at)
        self.control.debug = state["debug"]
        return settings.EXECUTION_HEARTBEAT_SECONDS


def _skip(control: RunControl, *, back: bool) -> None:
    control.skip(back=back)
    control.pause(False)


def _set_debug(control: RunControl, message: dict) -> None:
    control.debug = bool(message.get("enabled"))


APPLY: dict[ExecutionCommand, Callable[[RunControl, dict], None]] = {
    ExecutionCommand.CANCEL: lambda control, message: control.cancel(by=message.get("by")),
    ExecutionCommand.PAUSE: lambda control, _: control.pause(True),
    ExecutionCommand.RESUME: lambda control, _: control.pause(False),
    ExecutionCommand.SKIP: lambda control, _: _skip(control, back=False),
    ExecutionCommand.SKIP_BACK: lambda control, _: _skip(control, back=True),
    ExecutionCommand.DEBUG: _set_debug,
}


def apply_command(control: RunControl, message: dict) -> None:
    """Apply one control message to the in-memory state; a live command for the running step
    (``browser.click``…) waits in ``control.commands`` for the step to take it."""
    command = message["command"]
    if command in APPLY:
        APPLY[ExecutionCommand(command)](control, message)
    else:
        control.commands.append(message)
