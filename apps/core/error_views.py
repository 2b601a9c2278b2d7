"""Handlers Django calls for refused requests (see ``handler400`` in the root URLconf)."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from apps.core.request_limits import request_too_big


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The API's paths answer a JSON 404 like its views; the pages, the portal's own page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found: no API operation at this path."}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A body over the upload limit is a 413 naming it; any other refusal Django's 400."""
    if isinstance(exception, RequestDataTooBig):
        return request_too_big(request)
    return defaults.bad_request(request, exception)
