"""A single-instance lock: an flock on ``<data>/run.lock`` that dies with its process.

The lock file holds what the running instance wants others to know (its pid, its URL, the URL
of its embedded Redis), read by a second ``make run`` and by ``manage.py`` commands.
"""

import fcntl
import json
import os
from pathlib import Path


class AlreadyRunningError(Exception):
    def __init__(self, details: dict) -> None:
        super().__init__("already running")
        self.details = details


class InstanceLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._details: dict = {}

    def acquire(self, details: dict) -> None:
        """Take the lock and record ``details`` (pid, URL) for a second instance to report."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise AlreadyRunningError(self._read()) from None
        self._fd, self._details = fd, {}
        self.record(**details)

    def record(self, **details) -> None:
        """Add ``details`` to what the held lock tells others."""
        self._details.update(details)
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, json.dumps(self._details).encode(), 0)

    def release(self) -> None:
        if self._fd is None:
            return
        self.path.unlink(missing_ok=True)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def _read(self) -> dict:
        return _details(self.path)


def running_instance(path: Path) -> dict:
    """What a running instance recorded in its lock at ``path``; ``{}`` when none holds it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return {}
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return _details(path)  # held: an instance is running
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)  # free: a file left by an instance that was killed
        return {}
    finally:
        os.close(fd)


def _details(path: Path) -> dict:
    try:
        return json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return {}
