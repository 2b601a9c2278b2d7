"""The gateway state machine of spec 9.2, evaluated lazily against the simulated clock."""

import enum
from collections import deque
from collections.abc import Callable


class Phase(enum.StrEnum):
    NEEDS_COMMISSIONING = "NEEDS_COMMISSIONING"
    STARTING = "STARTING"
    RUNNING = "RUNNING"
    STOPPING = "STOPPING"
    DOWN = "DOWN"
    FAULTED = "FAULTED"


class Lifecycle:
    """Current phase plus a queue of timed phases; ``tick(now)`` catches up with the clock.

    ``on_running(at)`` runs each time the gateway (re)enters RUNNING, at the exact gateway
    time of the transition, so restarts apply pending module changes deterministically.
    ``running_total`` counts gateway seconds spent RUNNING (the trial only counts those).
    """

    def __init__(self, on_running: Callable[[float], None]):
        self.on_running = on_running
        self.phase = Phase.NEEDS_COMMISSIONING
        self.phase_end: float | None = None
        self.running_since: float | None = None
        self.running_total = 0.0
        self.restarts = 0
        self._queue: deque[tuple[Phase, float]] = deque()
        self._last = 0.0

    @property
    def busy(self) -> bool:
        """A restart or start-up is under way (including the grace period)."""
        return self.phase_end is not None

    def tick(self, now: float) -> None:
        while self.phase_end is not None and now >= self.phase_end:
            boundary = self.phase_end
            self._account(boundary)
            self._start_next(boundary)
        self._account(now)

    def schedule(self, steps: list[tuple[Phase, float]], now: float) -> None:
        """Replace whatever was queued by ``steps``; RUNNING follows the last one."""
        self.tick(now)
        self._queue = deque(steps)
        self._start_next(now)
        self.tick(now)

    def settle(self, phase: Phase, now: float) -> None:
        """Enter a phase that has no end (RUNNING, FAULTED, NEEDS_COMMISSIONING)."""
        self.tick(now)
        self._queue.clear()
        self._set(phase, None, now)

    def _account(self, until: float) -> None:
        if self.phase is Phase.RUNNING and until > self._last:
            self.running_total += until - self._last
        self._last = max(self._last, until)

    def _start_next(self, at: float) -> None:
        if not self._queue:
            self._set(Phase.RUNNING, None, at)
            return
        phase, duration = self._queue.popleft()
        self._set(phase, at + duration, at)

    def _set(self, phase: Phase, end: float | None, at: float) -> None:
        entering_running = phase is Phase.RUNNING and self.phase is not Phase.RUNNING
        self.phase = phase
        self.phase_end = end
        if phase is not Phase.RUNNING:
            self.running_since = None
        if entering_running:
            self.running_since = at
            self.on_running(at)
