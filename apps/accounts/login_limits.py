"""Failed-login counting per username and client address, kept in the cache (Redis)."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(username: str, address: str) -> str:
    digest = hashlib.sha256(f"{username.lower()}|{address}".encode()).hexdigest()[:32]
    return f"login-failures:{digest}"


def login_is_locked(username: str, address: str) -> bool:
    """Whether too many logins for this username from this address failed recently."""
    return cache.get(_key(username, address), 0) >= settings.LOGIN_RATE_LIMIT


def login_failure_record(username: str, address: str) -> None:
    """Count one failed login; the count expires after the rate window."""
    key = _key(username, address)
    if cache.add(key, 1, timeout=settings.LOGIN_RATE_WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=settings.LOGIN_RATE_WINDOW_SECONDS)


def login_failures_clear(username: str, address: str) -> None:
    cache.delete(_key(username, address))
