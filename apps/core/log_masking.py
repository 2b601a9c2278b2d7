"""Log lines written while a run executes pass through that run's masker.

The execution engine registers its masker for the run's duration (``masking_logs``);
``RunSecretsFilter``, installed on the root logger's handlers by the ``LOGGING`` setting, masks
the message, its arguments and any traceback of every record those handlers emit meanwhile. The
registry is the process's, not the thread's: the watcher, the gateway client's call threads and
libraries log from threads of their own, and a worker process runs one execution at a time.
"""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol


class Masker(Protocol):
    """What a run's masker offers (the engine's ``Masker``): its secrets hidden in text or data."""

    def mask_text(self, text: str) -> str: ...

    def mask(self, value: Any) -> Any: ...


_lock = threading.Lock()
_active: list[Masker] = []
_formatter = logging.Formatter()


@contextmanager
def masking_logs(masker: Masker) -> Iterator[None]:
    """Mask ``masker``'s secrets in every log record of this process until the block ends."""
    with _lock:
        _active.append(masker)
    try:
        yield
    finally:
        with _lock:
            _active.remove(masker)


def mask_log_text(text: str) -> str:
    for masker in list(_active):
        text = masker.mask_text(text)
    return text


def mask_log_value(value: Any) -> Any:
    """``value`` (text, or lists and dicts of it) with the running runs' secrets masked."""
    for masker in list(_active):
        value = masker.mask(value)
    return value


class RunSecretsFilter(logging.Filter):
    """Mask the secrets of the runs executing in this process; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not _active:
            return True
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call: logging reports it itself
            return True
        record.msg, record.args = mask_log_text(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = _formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_log_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_log_text(record.stack_info)
        return True


def install_on_handlers(logger: logging.Logger) -> None:
    """Add the filter to each handler of ``logger`` that lacks it (handlers set up by Celery)."""
    for handler in logger.handlers:
        if not any(isinstance(f, RunSecretsFilter) for f in handler.filters):
            handler.addFilter(RunSecretsFilter())
