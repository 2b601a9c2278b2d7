"""A running engine's events, stored and sent in batches by a writer thread of the run.

The engine's thread queues an event (``EventWriter.put``). Once the oldest queued event has
waited ``FLUSH_SECONDS`` (or ``FLUSH_EVENTS`` are queued, whichever comes first) the batch is
due: the engine's thread stores it at its next event, or the run's writer thread does when the
engine is busy inside a step. For the whole batch that is one transaction (the step-row
changes, one ``UPDATE`` reserving the seqs, one multi-row ``INSERT``), then sends one
channel-layer message with the stored events, in seq order. So events are still stored before
they are sent, and their seqs follow the order the engine queued them in.

``flush`` stores and sends everything queued so far in the calling thread; the engine calls it
before it writes a status (the run's pause, resume and final status, which are written at once
with their row) and before it ends, so nothing queued is left behind or sent after the end.

When a batch cannot be stored (the database gone longer than ``DATABASE_OUTAGE_SECONDS``), its
events stay queued and the engine meets the error at its next event, as when it wrote each event
itself. Past ``PENDING_LIMIT`` queued events the engine stores them itself, and so waits.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction

from apps.core.database import database_patience, survives_database_restart
from apps.executions.event_store import NewEvent, events_insert
from apps.executions.models import ExecutionEvent

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 0.02
FLUSH_EVENTS = 200
PENDING_LIMIT = 2000

Sender = Callable[[str, list[ExecutionEvent]], None]
_running = threading.local()


class EventWriter:
    def __init__(self, execution_id: str, send: Sender) -> None:
        self.execution_id = execution_id
        self.send = send
        self._pending: list[tuple[float, NewEvent]] = []
        self._changed = threading.Condition()
        self._flushing = threading.Lock()
        self._stopped = False
        self._failed = False
        self._thread = threading.Thread(
            target=self._run, name=f"event-writer-{execution_id}", daemon=True
        )

    def put(self, event: NewEvent) -> None:
        """Queue ``event``. Once a batch is due the engine's thread stores it itself, unless the
        writer thread is at it (one thread fewer to wake); it waits only when the writer failed
        or cannot keep up."""
        now = time.monotonic()
        with self._changed:
            self._pending.append((now, event))
            count, failed = len(self._pending), self._failed
            due = count >= FLUSH_EVENTS or now - self._pending[0][0] >= FLUSH_SECONDS
            if count == 1:  # the writer thread waits for the first event of a batch
                self._changed.notify()
        if failed or count >= PENDING_LIMIT:
            self.flush()
        elif due and self._flushing.acquire(blocking=False):
            try:
                self._flush_all()
            finally:
                self._flushing.release()

    def flush(self) -> None:
        """Store and send everything queued so far, in this thread (raises when it cannot)."""
        with self._flushing:
            self._flush_all()

    def _flush_all(self) -> None:
        while batch := self._take():
            _store_and_send(self, batch)
            with self._changed:
                del self._pending[: len(batch)]
                self._failed = False

    def _take(self) -> list[NewEvent]:
        with self._changed:
            return [event for _, event in self._pending[:FLUSH_EVENTS]]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """End the writer thread, then store what is left (in this thread)."""
        with self._changed:
            self._stopped = True
            self._changed.notify()
        self._thread.join()
        self.flush()

    def _run(self) -> None:
        try:
            with database_patience(settings.DATABASE_OUTAGE_SECONDS):
                while self._batch_due():
                    self._flush_in_background()
        finally:
            connection.close()  # this thread's own connection

    def _flush_in_background(self) -> None:
        try:
            self.flush()
        except Exception:  # the engine meets the error itself at its next event
            logger.exception("Execution %s: events not stored yet", self.execution_id)
            with self._changed:
                self._failed = True

    def _batch_due(self) -> bool:
        """Wait until a batch is due (``True``) or the writer is stopped (``False``)."""
        with self._changed:
            while not self._stopped:
                if self._failed or not self._pending:  # the engine may have flushed meanwhile
                    self._changed.wait()
                    continue
                wait = self._pending[0][0] + FLUSH_SECONDS - time.monotonic()
                if wait <= 0 or len(self._pending) >= FLUSH_EVENTS:
                    return True
                self._changed.wait(wait)
            return False


@survives_database_restart
def _store_and_send(writer: EventWriter, batch: list[NewEvent]) -> None:
    stored = events_insert(writer.execution_id, batch)
    # At once, or when the caller's transaction commits if the batch joined one.
    transaction.on_commit(lambda: writer.send(writer.execution_id, stored))


@contextmanager
def events_batched(execution_id: object, send: Sender) -> Iterator[EventWriter]:
    """Queue the events of ``execution_id`` recorded in this thread to a writer of the run."""
    writer = EventWriter(str(execution_id), send)
    writer.start()
    _running.writer = writer
    try:
        yield writer
    finally:
        _running.writer = None
        writer.stop()


def writer_for(execution_id: object) -> EventWriter | None:
    """The writer of ``execution_id`` when this thread runs it, else ``None``."""
    writer: EventWriter | None = getattr(_running, "writer", None)
    if writer is not None and writer.execution_id == str(execution_id):
        return writer
    return None
