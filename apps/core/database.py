"""Riding out a database restart in long-running work (the engine of a run).

A web request that meets a dropped database connection fails, and the next request opens a new
connection. A run's engine keeps its connection for the whole run, so after a database restart
(or a failover) every write of the run would fail. Inside ``database_patience(seconds)``, a
function marked ``@survives_database_restart`` that meets a broken connection closes it, waits
for the database (at once, then backing off up to 5 s) and runs again, for up to ``seconds``;
then it raises ``DatabaseUnavailableError``. Outside (web requests, housekeeping tasks) marked
functions run once, as before.

Only a broken connection is retried, never an error of the statement itself, and never inside a
transaction (the outermost marked function runs the whole transaction again). Marked functions
must be safe to run again: their writes are single statements or one transaction.
"""

import functools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import InterfaceError, OperationalError, connection

from apps.core.errors import ApplicationError
from apps.core.outage import OutageLog, describe_error

logger = logging.getLogger(__name__)
PAUSES_SECONDS = (0.0, 0.5, 1.0, 2.0, 4.0)  # then 5 s between tries
LONGEST_PAUSE_SECONDS = 5.0

_patience = threading.local()
_outage = OutageLog(
    logger, "Database", meanwhile="Runs wait for it (DATABASE_OUTAGE_SECONDS) and then go on."
)


class DatabaseUnavailableError(ApplicationError):
    status = 503


@contextmanager
def database_patience(seconds: float) -> Iterator[None]:
    """Marked functions called in this thread wait up to ``seconds`` for a lost database."""
    previous = getattr(_patience, "seconds", None)
    _patience.seconds = seconds
    try:
        yield
    finally:
        _patience.seconds = previous


def survives_database_restart(function: Callable) -> Callable:
    @functools.wraps(function)
    def call(*args, **kwargs):
        seconds = getattr(_patience, "seconds", None)
        if seconds is None or connection.in_atomic_block:
            return function(*args, **kwargs)
        return _patiently(function, args, kwargs, seconds)

    return call


def _patiently(function: Callable, args: tuple, kwargs: dict, seconds: float):
    deadline = time.monotonic() + seconds
    attempt = 0
    while True:
        try:
            result = function(*args, **kwargs)
        except (OperationalError, InterfaceError) as exc:
            if not _connection_lost():
                raise
            _wait_for_the_database(exc, attempt, deadline, seconds)
            attempt += 1
            continue
        _outage.succeeded()
        return result


def _wait_for_the_database(exc: Exception, attempt: int, deadline: float, seconds: float) -> None:
    _outage.failed(exc)
    connection.close()
    pause = PAUSES_SECONDS[attempt] if attempt < len(PAUSES_SECONDS) else LONGEST_PAUSE_SECONDS
    if time.monotonic() + pause > deadline:
        raise DatabaseUnavailableError(
            f"The database did not answer for {seconds:g} s (DATABASE_OUTAGE_SECONDS): "
            f"{describe_error(exc)}. Check the database server."
        ) from exc
    time.sleep(pause)


def _connection_lost() -> bool:
    """Whether the last error came from the connection (gone, closed) rather than the SQL."""
    return connection.connection is None or not connection.is_usable()
