"""Whether this worker process is stopping, and when its runs must be ended.

A stopping worker gives its runs ``WORKER_STOP_SECONDS`` to end on their own; the watcher of
each run then stops it with "worker stopping". The request is set from signal handlers, so it
is a plain assignment (no lock the interrupted thread might hold).
"""

import time

from django.conf import settings


class _StopRequest:
    deadline: float | None = None


_request = _StopRequest()


def worker_stop_request() -> None:
    """Start the countdown once; later requests keep the first deadline."""
    if _request.deadline is None:
        _request.deadline = time.monotonic() + settings.WORKER_STOP_SECONDS


def worker_stop_due() -> bool:
    """True once a stop was requested and its bound has passed."""
    deadline = _request.deadline
    return deadline is not None and time.monotonic() >= deadline


def worker_stop_reason() -> str:
    return (
        f"Worker stopping: the run did not end within {settings.WORKER_STOP_SECONDS} s "
        "(WORKER_STOP_SECONDS) of the worker's stop."
    )
