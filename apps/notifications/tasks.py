"""Celery tasks of notifications, on the default queue: evaluate a run's end, deliver one."""

from celery import shared_task
from django.conf import settings

from apps.notifications.delivery import delivery_attempt, run_deliveries

MAX_BACKOFF_SECONDS = 600


def backoff_seconds(attempt: int) -> float:
    """How long to wait after failed attempt ``attempt``: doubling, at most 10 minutes."""
    return min(settings.NOTIFICATION_RETRY_SECONDS * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS)


@shared_task(name="notifications.run_finished")
def run_finished(execution_id: str) -> int:
    """Send a delivery task for each destination whose rules the run's end meets."""
    summary, pairs = run_deliveries(execution_id)
    for destination_id, rule_id in pairs:
        deliver.apply_async(args=[destination_id, summary], kwargs={"rule_id": rule_id})
    return len(pairs)


@shared_task(name="notifications.deliver", bind=True, max_retries=None)
def deliver(self, destination_id: int, summary: dict, rule_id: int | None = None) -> None:
    """One attempt; a failure that may pass is tried again later with exponential backoff."""
    attempt = self.request.retries + 1
    if delivery_attempt(destination_id, summary, rule_id=rule_id, attempt=attempt):
        raise self.retry(countdown=backoff_seconds(attempt))
