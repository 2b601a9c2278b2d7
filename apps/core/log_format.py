"""``LOG_FORMAT=json``: one JSON object a line, the run's secrets masked.

Fields: ``timestamp`` (UTC, ISO 8601), ``level``, ``logger``, ``message``, ``request_id``,
``user``, ``execution_id``, ``step_id``, plus ``exc_info`` for a traceback and any ``extra=``
values. The secret-masking filter already masks the message and traceback of each record; this
formatter masks the rest too (``extra=`` values, a traceback it formats itself) and finally the
whole line.
"""

import logging

from celery.signals import after_setup_logger, after_setup_task_logger
from django.conf import settings
from pythonjsonlogger.json import JsonFormatter

from apps.core.log_context import LogContextFilter
from apps.core.log_masking import mask_log_text, mask_log_value

FIELDS = "%(levelname)s %(name)s %(message)s %(request_id)s %(user)s %(execution_id)s %(step_id)s"


class PortalJsonFormatter(JsonFormatter):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("fmt", FIELDS)
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", True)
        super().__init__(*args, **kwargs)

    def process_log_record(self, log_data: dict) -> dict:
        return mask_log_value(log_data)

    def serialize_log_record(self, log_data: dict) -> str:
        return mask_log_text(super().serialize_log_record(log_data))


def use_log_format(logger: logging.Logger) -> None:
    """Give the handlers of ``logger`` the context fields, and the JSON format when
    ``LOG_FORMAT=json`` (Celery replaces the handlers of the worker's loggers with its own)."""
    for handler in logger.handlers:
        if not any(isinstance(f, LogContextFilter) for f in handler.filters):
            handler.addFilter(LogContextFilter())
        if settings.LOG_FORMAT == "json":
            handler.setFormatter(PortalJsonFormatter())


@after_setup_logger.connect
@after_setup_task_logger.connect
def use_log_format_in_the_worker(sender=None, logger=None, **kwargs) -> None:
    if logger is not None:
        use_log_format(logger)
