"""Handlers Django calls for refused requests (see ``handler400`` in the root URLconf)."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.views import defaults

from apps.core.request_limits import request_too_big


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A body over the upload limit is a 413 naming it; any other refusal Django's 400."""
    if isinstance(exception, RequestDataTooBig):
        return request_too_big(request)
    return defaults.bad_request(request, exception)
