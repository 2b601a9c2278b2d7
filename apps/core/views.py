"""Health probes."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.core.health import run_checks
from apps.core.http import AuthenticatedHttpRequest
from toolkit_project.version import portal_version


@login_not_required
@never_cache
@require_GET
def health_live(request: HttpRequest) -> JsonResponse:
    """Always 200 while the web process can answer at all."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_GET
def health_ready(request: HttpRequest) -> JsonResponse:
    """200 when database, Redis and a Celery worker answer; 503 naming what fails otherwise.

    Only staff see why a part fails: the messages name hosts, ports and worker names."""
    detailed = request.user.is_staff
    failing = [
        result.as_dict() if detailed else result.as_summary()
        for result in run_checks()
        if not result.ok
    ]
    if failing:
        return JsonResponse({"status": "unavailable", "failing": failing}, status=503)
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def health_detailed(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The portal's version and every component's status, message and check time; staff only."""
    if not request.user.is_staff:
        raise PermissionDenied("Detailed health is for staff users.")
    results = run_checks()
    status = "ok" if all(result.ok for result in results) else "unavailable"
    components = [result.as_dict() for result in results]
    return JsonResponse({"status": status, "version": portal_version(), "components": components})
