"""``/metrics``: Prometheus text for the scraper, closed unless a token or an address list opens it.

Every number is read when scraped (database rows, Redis queue lengths, a worker ping), so any
web process gives the same answer and nothing is lost when a process restarts.
"""

import hmac
from collections.abc import Callable

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily, Metric
from prometheus_client.registry import Collector

from apps.core.client_address import address_in_networks, client_address
from toolkit_project.celery import app as celery_app
from toolkit_project.version import portal_version

_collectors: list[Callable[[], Collector]] = []


def register_collector(factory: Callable[[], Collector]) -> None:
    """Add the collector ``factory`` makes to every scrape (apps register theirs when loaded)."""
    if factory not in _collectors:
        _collectors.append(factory)


class PlatformCollector:
    """The portal's version, the Celery queues' lengths and the workers that answer."""

    def collect(self) -> list[Metric]:
        info = InfoMetricFamily("portal_build", "The portal's version.")
        info.add_metric([], {"version": portal_version()})
        queues = GaugeMetricFamily(
            "portal_queue_length", "Tasks waiting in each Celery queue.", labels=["queue"]
        )
        workers = GaugeMetricFamily("portal_workers_alive", "Celery workers answering a ping.")
        lengths = queue_lengths()
        for name, length in lengths.items():
            queues.add_metric([name], length)
        workers.add_metric([], workers_alive() if lengths else 0)
        return [info, queues, workers]


def queue_lengths() -> dict[str, int]:
    """Messages waiting in each queue (a Redis list per queue); empty when Redis is down."""
    timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_timeout=timeout, socket_connect_timeout=timeout
    )
    try:
        return {queue.name: client.llen(queue.name) for queue in settings.CELERY_TASK_QUEUES}
    except redis.RedisError:
        return {}
    finally:
        client.close()


def workers_alive() -> int:
    try:
        replies = celery_app.control.ping(timeout=settings.HEALTH_CHECK_TIMEOUT_SECONDS)
    except Exception:  # noqa: BLE001 - broker errors come in many types; none answered
        return 0
    return len(replies)


def metrics_access(request: HttpRequest) -> int:
    """200 when the request may scrape; else 404 (closed), 401 (token) or 403 (address)."""
    token, networks = settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS
    if not token and not networks:
        return 404
    if networks and not address_in_networks(client_address(request), tuple(networks)):
        return 403
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip(), token):
            return 401
    return 200


@login_not_required
@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    status = metrics_access(request)
    if status == 404:
        raise Http404("Metrics are off: set METRICS_TOKEN or METRICS_ALLOWED_IPS.")
    if status != 200:
        response = HttpResponse("Not allowed to read metrics.\n", status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    registry = CollectorRegistry(auto_describe=False)
    registry.register(PlatformCollector())
    for factory in _collectors:
        registry.register(factory())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
