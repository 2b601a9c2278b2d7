"""Request bodies over ``DATA_UPLOAD_MAX_MEMORY_SIZE``: a 413 that names the limit.

Django refuses such a body only when something reads ``request.body`` or ``request.POST``,
with a bare 400 page; DRF's parsers read the stream directly and never check. Form and JSON
bodies are therefore measured by their ``Content-Length`` before any view runs. Multipart
bodies may carry large files (which the limit does not cover), so for them Django's own check
of the non-file fields stands, and the 400 handler turns its refusal into the same answer.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat


def request_too_big(request: HttpRequest) -> HttpResponse:
    """413 naming the limit: JSON for the API, the portal's page elsewhere."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    message = (
        f"The request is too large: the portal accepts at most {filesizeformat(limit)} of "
        "form or JSON data per request (DATA_UPLOAD_MAX_MEMORY_SIZE). Send less data, or "
        "upload large content as a file."
    )
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "limit_bytes": limit}, status=413)
    return render(request, "413.html", {"message": message}, status=413)


class BodySizeLimitMiddleware:
    """Answers ``request_too_big`` for a form or JSON body declared larger than the limit."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _declared_length(request) > _limit() and not _is_multipart(request):
            return request_too_big(request)
        return self.get_response(request)


def _limit() -> float:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return float("inf") if limit is None else limit


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _is_multipart(request: HttpRequest) -> bool:
    return request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/")
