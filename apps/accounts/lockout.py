"""Lock-out after repeated failed logins, counted by django-axes on every way in.

django-axes counts failures per username and client address (``AXES_LOCKOUT_PARAMETERS``);
the limits come from ``LOGIN_RATE_LIMIT`` and ``LOGIN_RATE_WINDOW_SECONDS`` through the
callables below, read on every request. Pages (login, admin) get an HTML answer from
``lockout_response``; API views call ``raise_if_locked_out`` and answer JSON.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.core.throttles import RateExceeded


def failure_limit(request: HttpRequest | None, credentials: dict | None) -> int:
    return settings.LOGIN_RATE_LIMIT


def cool_off(request: HttpRequest | None) -> timedelta:
    return timedelta(seconds=settings.LOGIN_RATE_WINDOW_SECONDS)


def lockout_message() -> str:
    minutes = max(1, settings.LOGIN_RATE_WINDOW_SECONDS // 60)
    return f"Too many failed logins for this user. Try again in {minutes} minutes."


class LoginLockedOut(RateExceeded):
    """429 with ``Retry-After``, saying the user is locked out rather than merely throttled."""

    def __init__(self) -> None:
        super().__init__(lockout_message(), settings.LOGIN_RATE_WINDOW_SECONDS, "locked_out")


def raise_if_locked_out(request) -> None:
    """After a refused ``authenticate(request=...)``: raise when django-axes refused it (or
    this failure reached the limit), so the client learns it is locked out."""
    if getattr(request, "axes_locked_out", False):
        raise LoginLockedOut()


def api_login_succeeded(request, user) -> None:
    """Announce a sign-in that did not go through ``django.contrib.auth.login`` (API token,
    JWT), so django-axes clears the user's failures from this address and ``last_login`` is
    kept, as for a page login."""
    user_logged_in.send(sender=user.__class__, request=request, user=user)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The answer to a locked-out login on a page (``AXES_LOCKOUT_CALLABLE``): the login page
    and the admin's. API views answer themselves through ``raise_if_locked_out``, since
    django-axes marks the DRF request, which this middleware hook never sees."""
    context = {"message": lockout_message(), "login_path": request.path}
    response = render(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = str(settings.LOGIN_RATE_WINDOW_SECONDS)
    return response
