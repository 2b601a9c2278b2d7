"""Readiness checks of the parts the portal needs: database, Redis and Celery workers."""

from dataclasses import asdict, dataclass, field

import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from toolkit_project.celery import app as celery_app


@dataclass(frozen=True)
class ComponentStatus:
    name: str
    ok: bool
    message: str
    checked_at: str = field(default_factory=lambda: timezone.now().isoformat())

    def as_dict(self) -> dict:
        return asdict(self)

    def as_summary(self) -> dict:
        """Name and state only: messages name worker hosts and connection details."""
        return {"name": self.name, "ok": self.ok, "message": "up" if self.ok else "down"}


def check_database() -> ComponentStatus:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        return ComponentStatus("database", False, f"{type(exc).__name__}: {exc}")
    return ComponentStatus("database", True, f"{connection.vendor} answers")


def check_redis() -> ComponentStatus:
    timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        client.ping()
    except redis.RedisError as exc:
        return ComponentStatus("redis", False, f"{type(exc).__name__}: {exc}")
    return ComponentStatus("redis", True, "PING answered")


def check_workers() -> ComponentStatus:
    try:
        replies = celery_app.control.ping(timeout=settings.HEALTH_CHECK_TIMEOUT_SECONDS, limit=1)
    except Exception as exc:  # noqa: BLE001 - broker errors come in many types
        return ComponentStatus("workers", False, f"{type(exc).__name__}: {exc}")
    if not replies:
        return ComponentStatus("workers", False, "no Celery worker answered a ping")
    names = ", ".join(sorted(name for reply in replies for name in reply))
    return ComponentStatus("workers", True, f"answered: {names}")


def run_checks() -> list[ComponentStatus]:
    """Run every readiness check; workers are not pinged while the broker is down."""
    database, broker = check_database(), check_redis()
    if broker.ok:
        workers = check_workers()
    else:
        workers = ComponentStatus(
            "workers", False, "not checked: Redis, the broker, is unavailable"
        )
    return [database, broker, workers]


def health_report(results: list[ComponentStatus], *, detailed: bool) -> dict:
    """Overall state and one entry per component; ``detailed`` (staff) adds the messages."""
    return {
        "ok": all(result.ok for result in results),
        "components": [result.as_dict() if detailed else result.as_summary() for result in results],
    }
