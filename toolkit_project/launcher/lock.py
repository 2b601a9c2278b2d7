"""A single-instance lock: an flock on ``<data>/run.lock`` that dies with its process."""

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

    def acquire(self, details: dict) -> None:
        """Take the lock and record ``details`` (pid, URL) for a second instance to report."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise AlreadyRunningError(self._read()) from None
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps(details).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        self.path.unlink(missing_ok=True)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def _read(self) -> dict:
        try:
            return json.loads(self.path.read_text() or "{}")
        except (OSError, ValueError):
            return {}
