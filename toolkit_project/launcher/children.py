"""Child processes: start each in its own process group, prefix its output, stop the group.

A Celery worker is stopped through its main process alone (SIGTERM: warm shutdown), so its pool
processes finish or end their runs; the group is killed only once its time is up. A child whose
main process ended is reaped whole (what is left of its group is killed) before it is started
again.
"""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the forked child
    """Ask Linux to SIGTERM the child if the launcher itself is killed with SIGKILL."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    name: str
    command: list[str]
    env: dict[str, str]
    cwd: str
    process: subprocess.Popen | None = field(default=None, repr=False)
    pump: threading.Thread | None = field(default=None, repr=False)
    started_at: float = field(default=0.0, init=False, repr=False)  # monotonic, last start
    _reaped: bool = field(default=False, init=False, repr=False)

    def start(self, output) -> None:
        """Start the child (again, after ``reap``); its output goes to ``output``, prefixed."""
        self.started_at, self._reaped = time.monotonic(), False
        self.process = subprocess.Popen(  # noqa: S603 - fixed argument lists, no shell
            self.command,
            env=self.env,
            cwd=self.cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,  # noqa: PLW1509
        )
        self.pump = threading.Thread(target=self._pump, args=(output,), daemon=True)
        self.pump.start()

    def _pump(self, output) -> None:
        stream = self.process.stdout if self.process else None
        for raw in stream or ():
            output(f"{self.prefix} {raw.decode(errors='replace').rstrip()}")

    @property
    def prefix(self) -> str:
        """What starts each of its lines on the console."""
        return f"{self.name:<9}|"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def exit_code(self) -> int | None:
        return self.process.poll() if self.process else None

    def signal_main(self, signum: int) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signum)

    def signal_group(self, signum: int) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)

    def reap(self) -> int | None:
        """Kill what is left of the process group, wait for the main process and the end of its
        output; its exit code. The group is killed even if its main process exited: a worker's
        pool processes may outlive it (and go on with a run nobody can see any more)."""
        if self.process is None:
            return None
        if not self._reaped:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self._reaped = True
        code = self.process.wait()
        if self.pump is not None:
            self.pump.join(timeout=2)
        return code


def stop_main_first(child: Child, *, grace_seconds: float) -> None:
    """SIGTERM the child's main process only, wait, then SIGKILL its group."""
    child.signal_main(signal.SIGTERM)
    _wait_then_kill([child], grace_seconds)


def stop_all(children: list[Child], *, grace_seconds: float) -> None:
    """SIGTERM every child's process group, wait, then SIGKILL what is left (groups too)."""
    for child in children:
        child.signal_group(signal.SIGTERM)
    _wait_then_kill(children, grace_seconds)


def _wait_then_kill(children: list[Child], grace_seconds: float) -> None:
    deadline = time.monotonic() + grace_seconds
    while time.monotonic() < deadline and any(c.exit_code() is None for c in children):
        time.sleep(0.1)
    for child in children:
        child.reap()
