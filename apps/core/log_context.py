"""Who and what a log line is about: request id, user, execution id and step id.

``LogContextFilter`` (on the log handlers, see the ``LOGGING`` setting and the worker's
handlers) copies them onto every record, where the JSON format writes them as fields.

* The request id and the request come from ``RequestIdMiddleware``, per request (context
  variables, so concurrent requests in one process never mix).
* The execution and step come from the engine: ``run_logging`` for the length of a run, and
  ``run_step_entered`` / ``run_step_left`` as steps start and end. Lines from the run's own
  thread carry its ids; lines from other threads of a worker process (the run's watcher, the
  gateway client's call threads, libraries) carry them too while that process runs exactly one
  execution, as a worker pool process does.
"""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.utils.functional import SimpleLazyObject, empty

request_id_var: ContextVar[str] = ContextVar("request_id", default="")
request_var: ContextVar[object | None] = ContextVar("request", default=None)


@dataclass
class RunLogContext:
    execution_id: str
    steps: list[tuple[str, str]] = field(default_factory=list)  # (path, step id), innermost last

    @property
    def step_id(self) -> str:
        return self.steps[-1][1] if self.steps else ""


_run_var: ContextVar[RunLogContext | None] = ContextVar("run", default=None)
_lock = threading.Lock()
_runs: dict[str, RunLogContext] = {}


@contextmanager
def run_logging(execution_id: str) -> Iterator[RunLogContext]:
    """Give every log line of this run its execution id (and current step) until the block ends."""
    context = RunLogContext(str(execution_id))
    token = _run_var.set(context)
    with _lock:
        _runs[context.execution_id] = context
    try:
        yield context
    finally:
        with _lock:
            _runs.pop(context.execution_id, None)
        _run_var.reset(token)


def run_step_entered(execution_id, path: str, step_id: str) -> None:
    context = _runs.get(str(execution_id))
    if context is not None and (not context.steps or context.steps[-1][0] != path):
        context.steps.append((path, step_id))


def run_step_left(execution_id, path: str) -> None:
    """The step at ``path`` ended: the current step is again the one that contains it."""
    context = _runs.get(str(execution_id))
    if context is not None:
        context.steps[:] = [
            (inner, step) for inner, step in context.steps if not _within(inner, path)
        ]


def _within(inner: str, path: str) -> bool:
    return inner == path or inner.startswith(f"{path}.")


def current_run() -> RunLogContext | None:
    context = _run_var.get()
    if context is None and len(_runs) == 1:
        context = next(iter(_runs.values()), None)
    return context


class LogContextFilter(logging.Filter):
    """Add ``request_id``, ``user``, ``execution_id`` and ``step_id`` to each record; never
    drops one. Values a record already has (``extra=``) are kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        run = current_run()
        values = {
            "request_id": request_id_var.get(),
            "user": _username(request_var.get()),
            "execution_id": run.execution_id if run else "",
            "step_id": run.step_id if run else "",
        }
        for name, value in values.items():
            if not getattr(record, name, ""):
                setattr(record, name, value)
        return True


def _username(request) -> str:
    """The request's user, if authentication has already resolved it (never a query here)."""
    user = getattr(request, "user", None)
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return ""
    return user.get_username() if user.is_authenticated else ""
