"""Telling the notification workers that a run ended; called once its end is committed.

Whatever goes wrong here (the broker unreachable, anything else) is logged and swallowed: the
run has ended and stays ended, with or without its notifications.
"""

import logging

import redis.exceptions
from kombu.exceptions import OperationalError

from apps.core.outage import OutageLog

logger = logging.getLogger(__name__)
BROKER_ERRORS = (
    OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    OSError,
)
_broker = OutageLog(
    logger, "Broker (Redis) for notifications", meanwhile="Runs ending meanwhile notify no one."
)


def notifications_run_finished(execution_id) -> None:
    """Queue the evaluation of a run's notification rules; never raises."""
    from apps.notifications.tasks import run_finished

    try:
        run_finished.apply_async(args=[str(execution_id)], retry=False)
    except BROKER_ERRORS as exc:
        _broker.failed(exc)
    except Exception:
        logger.exception("Notifications of run %s were not queued", execution_id)
    else:
        _broker.succeeded()
