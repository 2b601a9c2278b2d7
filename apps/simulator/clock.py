"""Simulated time: real time divided by ``time_scale``, plus manual advances; can be paused."""

import time
from collections.abc import Callable


class Clock:
    """Seconds of gateway time since the simulator started.

    Every duration in the simulator is expressed in gateway seconds, so a ``time_scale`` of
    0.01 makes a 40 s restart take 0.4 s of real time.
    """

    def __init__(self, time_scale: float = 1.0, real: Callable[[], float] = time.monotonic):
        self.time_scale = time_scale
        self._real = real
        self._origin = real()
        self._offset = 0.0
        self._paused_at: float | None = None
        self._epoch = time.time()

    def now(self) -> float:
        if self._paused_at is not None:
            return self._paused_at
        return (self._real() - self._origin) / self.time_scale + self._offset

    def advance(self, seconds: float) -> None:
        if self._paused_at is not None:
            self._paused_at += seconds
        else:
            self._offset += seconds

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    def pause(self) -> None:
        if self._paused_at is None:
            self._paused_at = self.now()

    def resume(self) -> None:
        if self._paused_at is not None:
            frozen = self._paused_at
            self._paused_at = None
            self._offset += frozen - self.now()

    def epoch_ms(self, at: float | None = None) -> int:
        """Wall-clock milliseconds for a gateway time (default: now)."""
        return int((self._epoch + (self.now() if at is None else at)) * 1000)

    def real_seconds(self, gateway_seconds: float) -> float:
        return gateway_seconds * self.time_scale
