"""How many runs one user may start (``LAUNCH_RATE_LIMIT``): one throttle for the API and pages.

The API applies ``LaunchRateThrottle`` as a DRF throttle on its launch action; pages call
``launch_rate_check`` before they start a run. Both count in the same cache entry per user. A
repeat of an API launch with a live ``Idempotency-Key`` starts nothing, so it is not counted.
The cache is Redis: while it is unreachable launches are not counted (a launch is durable
through a Redis outage, see services/dispatch.py), and the outage is logged once.
"""

import logging
import math

import redis
from django.conf import settings
from django.http import HttpRequest

from apps.core.errors import ApplicationError
from apps.core.outage import OutageLog
from apps.core.throttles import UserClientRateThrottle
from apps.executions.services.launch_keys import KEY_HEADER, launch_key_is_live

logger = logging.getLogger(__name__)
PERIODS = {"s": "second", "m": "minute", "h": "hour", "d": "day"}
_cache = OutageLog(
    logger, "Launch rate limit (Redis cache)", meanwhile="Launches are not counted meanwhile."
)


class LaunchRateThrottle(UserClientRateThrottle):
    scope = "launch"

    def get_rate(self) -> str:
        return settings.LAUNCH_RATE_LIMIT

    def allow_request(self, request, view) -> bool:
        key = request.headers.get(KEY_HEADER)
        if key and request.user.is_authenticated and launch_key_is_live(request.user, key):
            return True
        try:
            allowed = super().allow_request(request, view)
        except (redis.RedisError, OSError) as exc:
            _cache.failed(exc)
            return True
        _cache.succeeded()
        return allowed


class LaunchRateExceeded(ApplicationError):
    status = 429

    def __init__(self, wait_seconds: float | None) -> None:
        self.retry_after_seconds = math.ceil(wait_seconds or 1)
        super().__init__(launch_rate_message(self.retry_after_seconds))


def launch_rate_message(wait_seconds: float | None) -> str:
    count, period = settings.LAUNCH_RATE_LIMIT.split("/")
    unit = PERIODS.get(period.strip()[:1], period)
    seconds = math.ceil(wait_seconds or 1)
    return (
        f"Too many runs started: at most {count} per {unit} for each user. "
        f"Try again in {seconds} second{'s' if seconds != 1 else ''}."
    )


def launch_rate_check(request: HttpRequest) -> None:
    """Count one launch by the request's user; raise ``LaunchRateExceeded`` past the limit."""
    throttle = LaunchRateThrottle()
    if not throttle.allow_request(request, None):
        raise LaunchRateExceeded(throttle.wait())
