"""Logging filters named in the ``LOGGING`` setting."""

import logging


class NotReadyIsNotAnError(logging.Filter):
    """``/health/ready`` answering 503 reports a state (a worker still starting, Redis down), not
    a failure of the web server: Django's ``django.request`` line for it is logged at INFO, not
    ERROR, so every start of ``make run`` and every probe during an outage stop shouting."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        match = getattr(request, "resolver_match", None)
        if getattr(record, "status_code", None) != 503 or match is None:
            return True
        if match.view_name != "core:health-ready":
            return True
        record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
        return logging.getLogger().isEnabledFor(logging.INFO)
