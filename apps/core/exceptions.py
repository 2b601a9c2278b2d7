"""The DRF exception handler: domain errors become JSON answers with a clear message."""

from rest_framework.response import Response
from rest_framework.views import exception_handler

from apps.core.errors import ApplicationError


def api_exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, **exc.extra}, status=exc.status)
    return exception_handler(exc, context)
