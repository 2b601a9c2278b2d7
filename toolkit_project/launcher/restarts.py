"""Restarting children that exit: when (exponential backoff) and what the console says.

A child that exits while the launcher runs is started again after a delay that doubles with
each exit in a row (1 s, 2 s, 4 s … up to 30 s) and returns to the first once the child has
stayed up a while. One line says which child ended, how, when it starts again and how many
restarts it has had; a child that keeps failing right at start-up is retried all the same, and
the line points at its own output, where the cause is.
"""

import signal
import time
from collections.abc import Callable
from dataclasses import dataclass

from toolkit_project.launcher.children import Child


@dataclass(frozen=True)
class Backoff:
    first_seconds: float = 1.0
    cap_seconds: float = 30.0
    # A child up this long before it exits starts again after ``first_seconds``.
    stable_seconds: float = 60.0
    # A child that exits sooner than this after its start failed at start-up.
    start_up_seconds: float = 10.0

    def delay(self, exits_in_a_row: int) -> float:
        """The delay before the restart that follows the ``exits_in_a_row``-th quick exit."""
        return min(self.cap_seconds, self.first_seconds * 2 ** max(exits_in_a_row - 1, 0))


@dataclass
class _Record:
    restarts: int = 0
    unstable_exits: int = 0  # exits in a row, each before the child stayed up stable_seconds
    start_up_failures: int = 0  # exits in a row, each within start_up_seconds of its start
    due_at: float | None = None  # when the exited child starts again


class Restarter:
    """Start again, each after its backoff, the children that exited."""

    def __init__(self, output: Callable[[str], None], backoff: Backoff | None = None) -> None:
        self.output = output
        self.backoff = backoff or Backoff()
        self._records: dict[str, _Record] = {}

    def check(self, children: list[Child]) -> None:
        """Schedule the restart of each child that has just exited; start those now due."""
        now = time.monotonic()
        for child in children:
            record = self._records.setdefault(child.name, _Record())
            if record.due_at is None:
                if child.exit_code() is not None:
                    self._schedule(child, record, now)
            elif now >= record.due_at:
                record.due_at = None
                child.start(self.output)

    def waiting(self) -> list[str]:
        """The children that exited and wait for their restart."""
        return [name for name, record in self._records.items() if record.due_at is not None]

    def _schedule(self, child: Child, record: _Record, now: float) -> None:
        uptime = now - child.started_at
        pid, code = child.pid, child.reap()
        stable = uptime >= self.backoff.stable_seconds
        record.unstable_exits = 1 if stable else record.unstable_exits + 1
        quick = uptime < self.backoff.start_up_seconds
        record.start_up_failures = record.start_up_failures + 1 if quick else 0
        record.restarts += 1
        delay = self.backoff.delay(record.unstable_exits)
        record.due_at = now + delay
        line = (
            f"{child.name} (pid {pid}) {how_it_ended(code)} after {duration(uptime)}; "
            f"restarting it in {delay:g} s (restart {record.restarts})."
        )
        if record.start_up_failures >= 2:
            line += (
                f' It keeps failing at start-up: its lines above, marked "{child.prefix}", say why.'
            )
        self.output(line)


def how_it_ended(code: int) -> str:
    if code >= 0:
        return f"exited with code {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    return f"was killed by {name}"


def duration(seconds: float) -> str:
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, seconds = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"
