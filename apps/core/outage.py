"""Logging an outage of something the portal depends on (Redis, the database) without flooding.

Loops that retry something unreachable fail many times a second. An ``OutageLog`` turns that
into one warning when the outage starts, a reminder at most every ``OUTAGE_REMINDER_SECONDS``
with the number of failures since the last line, and one info line when it is over::

    WARNING Live events unavailable: ConnectionError: Error 111 connecting to …. Events are
            stored; open pages fill the gap when it is back.
    WARNING Live events still unavailable after 60 s (1180 failures since the last message):
            ConnectionError: …
    INFO    Live events available again after 75 s (1475 failures).
"""

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings


class OutageLog:
    """The log lines of one thing's outages (thread-safe; one instance per thing)."""

    def __init__(
        self,
        logger: logging.Logger,
        what: str,
        *,
        meanwhile: str = "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.logger, self.what, self.meanwhile, self.clock = logger, what, meanwhile, clock
        self._lock = threading.Lock()
        self._since: float | None = None  # when the current outage started
        self._told_at = 0.0
        self._failures = 0  # since the last line
        self._total = 0  # during the current outage

    @property
    def ongoing(self) -> bool:
        return self._since is not None

    def failed(self, exc: BaseException) -> None:
        """One more failure: logged when it starts an outage or a reminder is due."""
        now = self.clock()
        with self._lock:
            self._failures += 1
            self._total += 1
            if self._since is None:
                self._since = self._told_at = now
                self._failures = 0
                then = f" {self.meanwhile}" if self.meanwhile else ""
                self.logger.warning("%s unavailable: %s.%s", self.what, describe_error(exc), then)
            elif now - self._told_at >= settings.OUTAGE_REMINDER_SECONDS:
                self.logger.warning(
                    "%s still unavailable after %.0f s (%s since the last message): %s",
                    self.what,
                    now - self._since,
                    _failures(self._failures),
                    describe_error(exc),
                )
                self._told_at, self._failures = now, 0

    def succeeded(self) -> None:
        """It works: ends an outage (one info line), otherwise does nothing."""
        if self._since is None:
            return
        with self._lock:
            if self._since is None:
                return
            self.logger.info(
                "%s available again after %.0f s (%s).",
                self.what,
                self.clock() - self._since,
                _failures(self._total),
            )
            self._since, self._failures, self._total = None, 0, 0


def describe_error(exc: BaseException) -> str:
    """``Type: message`` on one line, without a final full stop."""
    text = " ".join(str(exc).split()).rstrip(".")
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _failures(count: int) -> str:
    return f"{count} failure" if count == 1 else f"{count} failures"
