"""A request id for every request: the caller's ``X-Request-ID`` when it is a plain token, else a
new one; echoed in the response's ``X-Request-ID`` and written on each log line of the request."""

import re
import uuid

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from apps.core.log_context import request_id_var, request_var

HEADER = "X-Request-ID"
# What a proxy or a client reasonably sends (UUIDs, hex, trace ids); anything else, such as
# spaces, quotes or line breaks that could forge log lines, is replaced.
ACCEPTED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,127}")


def request_id_from(request: HttpRequest) -> str:
    given = request.headers.get(HEADER, "").strip()
    return given if ACCEPTED.fullmatch(given) else uuid.uuid4().hex


class RequestIdMiddleware:
    """Sets the request id and the request for log lines; first in ``MIDDLEWARE``.

    The values are cleared when the response is closed (``request_finished``), not on the way
    out: Django logs a 4xx/5xx answer after the last middleware returns, and that line belongs
    to the request too."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = request_id_from(request)
        request_id_var.set(request.request_id)
        request_var.set(request)
        response = self.get_response(request)
        response[HEADER] = request.request_id
        return response


@receiver(request_finished)
def forget_the_request(**kwargs) -> None:
    request_id_var.set("")
    request_var.set(None)
