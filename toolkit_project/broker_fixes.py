"""A fix for kombu's Redis transport, so a worker survives a Redis outage that begins while it
runs a task (kombu 5.7.0, the newest release).

When the broker connection is lost, Celery's consumer first collects the connection (closes its
channels, then detaches the transport: ``transport.client = None``) and then closes it once
more. kombu's Redis ``Channel.close()`` starts by reading the reply of the BRPOP it has in
flight. With Redis gone that read raises a connection error, so the first close stops before
the channel is closed. The second close then puts the unacknowledged messages (the acks-late
tasks still running) back through a new connection pool built from the detached transport:
``AttributeError: 'NoneType' object has no attribute 'hostname'``. Celery does not count that
as a connection error, logs "Unrecoverable error" and the worker exits, with its runs.

A channel holding auto-delete queues (Celery's gossip and remote-control channels) fails the
same way one step later: deleting those queues raises the connection error, the channel stays
open, and Celery logs "Error on restarting Gossip" with a traceback at every outage.

Patched, the in-flight read ends quietly on a connection error, a close that meets a lost
connection finishes without deleting the auto-delete queues (they went with the server, or
expire with the connection's keys), and the first close completes while the transport is
attached. Putting the messages back then fails as a connection error,
which Celery ignores before it reconnects; a run's message left unacknowledged is harmless (a
redelivery finds the run no longer queued and does nothing).
"""

import functools
from collections.abc import Callable
from queue import Empty

from kombu.transport import redis as redis_transport


def patch_redis_channel_close() -> None:
    """Apply the fix once (idempotent)."""
    channel = redis_transport.Channel
    if not getattr(channel.close, "ends_lost_reads", False):
        channel.close = _ending_lost_reads(channel.close)


def _ending_lost_reads(close: Callable) -> Callable:
    @functools.wraps(close)
    def close_channel(self) -> None:
        if self._in_poll and not self.closed:
            try:
                self._brpop_read()
            except (Empty, *self.connection_errors):
                pass  # the reply is lost with the connection; _brpop_read cleared _in_poll
        try:
            close(self)
        except self.connection_errors:
            self.auto_delete_queues.clear()
            close(self)  # again, with nothing left that needs the server

    close_channel.ends_lost_reads = True
    return close_channel
