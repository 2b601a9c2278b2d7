"""DRF throttles that key anonymous clients on the address ``client_address`` computes.

DRF's own ``get_ident`` believes ``X-Forwarded-For`` from anyone when ``NUM_PROXIES`` is unset,
so a client that changes the header on every request is never throttled.
"""

import math

from rest_framework.exceptions import APIException, Throttled
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle

from apps.core.client_address import client_address


class ClientAddressThrottleMixin:
    def get_ident(self, request) -> str:
        return client_address(request)


class ScopedClientRateThrottle(ClientAddressThrottleMixin, ScopedRateThrottle):
    """``throttle_scope`` rates per user, or per client address when anonymous."""


class UserClientRateThrottle(ClientAddressThrottleMixin, UserRateThrottle):
    """One rate per user, or per client address when anonymous."""


class RateExceeded(Throttled):
    """429 with ``Retry-After`` and a message of the caller's own (DRF's ``Throttled`` appends
    its generic wording)."""

    def __init__(self, message: str, wait_seconds: float, code: str = "throttled") -> None:
        APIException.__init__(self, message, code)
        self.wait = math.ceil(wait_seconds)
