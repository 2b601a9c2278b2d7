"""A run's progress writes (step states, log lines) on a thread of their own, in order.

Each write is a round trip to the database, two or more a step. The engine hands them to this
thread and goes on with the step, as AWX's runner hands job events to its callback receiver:
the step does not wait for the database, and the writes still happen one after another in the
order they were submitted. A write that fails is raised in the engine at its next ``submit``
or ``flush``, so the run fails as it would have at the write itself. Anything that must follow
the writes submitted so far (a status change, an artifact row, the end of the run) calls
``flush`` first.
"""

import logging
import queue
import threading
from collections.abc import Callable

from django.db import connection

logger = logging.getLogger(__name__)
CLOSE_TIMEOUT_SECONDS = 30


class Writer:
    def __init__(self, name: str) -> None:
        self._name = name
        self._queue: queue.Queue[Callable[[], object] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._failure: Exception | None = None

    def submit(self, write: Callable[[], object]) -> None:
        """Run ``write()`` after every write submitted before it; the caller does not wait."""
        self._raise_failure()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._thread.start()
        self._queue.put(write)

    def flush(self) -> None:
        """Wait until every submitted write is done; raise the first that failed."""
        if self._thread is not None:
            self._queue.join()
        self._raise_failure()

    def close(self) -> None:
        """``flush``, then end the thread (it closes its database connection)."""
        try:
            self.flush()
        finally:
            thread, self._thread = self._thread, None
            if thread is not None:
                self._queue.put(None)
                thread.join(timeout=CLOSE_TIMEOUT_SECONDS)

    def _raise_failure(self) -> None:
        failure, self._failure = self._failure, None
        if failure is not None:
            raise failure

    def _run(self) -> None:
        try:
            while (write := self._queue.get()) is not None:
                try:
                    if self._failure is None:  # after a failure, skip until the engine knows
                        write()
                except Exception as exc:  # noqa: BLE001 - raised in the engine thread instead
                    logger.warning("A progress write of %s failed: %s", self._name, exc)
                    self._failure = exc
                finally:
                    self._queue.task_done()
            self._queue.task_done()
        finally:
            connection.close()
