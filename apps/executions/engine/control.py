"""In-memory control state of a running execution, shared by the engine and its watcher.

The watcher thread feeds commands in (from Redis pub/sub and from the row at each heartbeat);
the engine thread and step handlers read them through ``check`` and ``sleep``, which raise
``StepInterrupted`` so cancel, skip and timeouts land inside a running step.
"""

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from apps.executions.commands import Interruption, StopReason

SLICE_SECONDS = 0.05


class StepInterrupted(Exception):
    """A running step must stop, and why."""

    def __init__(self, reason: Interruption) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Frame:
    """One running step attempt; nested ``playbook.run`` children push frames of their own."""

    deadline: float | None
    interrupters: list[Callable[[], None]] = field(default_factory=list)
    interrupted: bool = False


class RunControl:
    def __init__(self, *, debug: bool = False) -> None:
        self._lock = threading.Lock()
        self.cancel_reason: StopReason | None = None
        self.cancelled_by: int | None = None
        self.pause_requested = False
        self._pause_changed_at = float("-inf")
        self.debug = debug
        self._skip = False
        self._skip_back = False
        self._frames: list[_Frame] = []
        self.commands: list[dict] = []

    # Commands (watcher thread) -------------------------------------------------------------
    def cancel(self, reason: StopReason = StopReason.CANCEL, *, by: int | None = None) -> None:
        with self._lock:
            if self.cancel_reason is None:
                self.cancel_reason, self.cancelled_by = reason, by

    def pause(self, paused: bool) -> None:
        self.pause_requested = paused
        self._pause_changed_at = time.monotonic()

    def pause_from_row(self, paused: bool, *, read_at: float) -> None:
        """Apply the row's pause flag, read at ``read_at``, unless it changed here since then
        (a debug pause or a resume command must not be undone by an older read of the row)."""
        if self._pause_changed_at <= read_at:
            self.pause_requested = paused

    def skip(self, *, back: bool = False) -> None:
        with self._lock:
            if back:
                self._skip_back = True
            else:
                self._skip = True

    def take_skip(self) -> bool:
        with self._lock:
            taken, self._skip = self._skip, False
            return taken

    def take_skip_back(self) -> bool:
        with self._lock:
            taken, self._skip_back = self._skip_back, False
            return taken

    # Step attempts (engine thread) ---------------------------------------------------------
    def begin_step(self, timeout_seconds: float | None) -> None:
        deadline = time.monotonic() + timeout_seconds if timeout_seconds else None
        with self._lock:
            self._frames.append(_Frame(deadline))

    def end_step(self) -> None:
        with self._lock:
            self._frames.pop()

    def extend_deadline(self, seconds: float) -> None:
        """Give every running attempt back the time the run spent paused."""
        with self._lock:
            for frame in self._frames:
                if frame.deadline is not None:
                    frame.deadline += seconds

    def add_interrupter(self, interrupter: Callable[[], None]) -> None:
        """Register a way to stop blocking work at once (kill a process, close a browser)."""
        with self._lock:
            self._frames[-1].interrupters.append(interrupter)

    def interruption(self) -> Interruption | None:
        """Why the running step must stop now, or ``None``."""
        if self.cancel_reason is not None:
            return Interruption.CANCEL
        with self._lock:
            if not self._frames:
                return None
            if self._skip:
                return Interruption.SKIP
            if self._skip_back:
                return Interruption.SKIP_BACK
            deadline = self._frames[-1].deadline
        if deadline is not None and time.monotonic() > deadline:
            return Interruption.TIMEOUT
        return None

    def check(self) -> None:
        reason = self.interruption()
        if reason is not None:
            raise StepInterrupted(reason)

    def fire_interrupters(self) -> None:
        """Run the innermost attempt's interrupters once (called by the watcher)."""
        with self._lock:
            if not self._frames or self._frames[-1].interrupted:
                return
            frame = self._frames[-1]
            frame.interrupted = True
            interrupters = list(frame.interrupters)
        for interrupter in interrupters:
            # Best effort: the step sees the reason through check() anyway.
            with contextlib.suppress(Exception):
                interrupter()
