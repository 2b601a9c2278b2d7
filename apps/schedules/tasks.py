"""Celery task of schedules: beat sends it with a schedule id; it calls one service."""

from celery import shared_task
from django.db import OperationalError

from apps.schedules.services import schedule_launch


@shared_task(
    name="schedules.launch_scheduled",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def launch_scheduled(schedule_id: int) -> None:
    """Launch the schedule's playbook now; refusals are recorded on the schedule, not raised.

    Redelivery is harmless: the beat entry's messages expire after a few minutes, and the
    service locks the schedule and (unless it allows overlapping runs) skips while the run
    it launched is still live. A lost database connection (``OperationalError``) rolled
    everything back, so it is retried.
    """
    schedule_launch(int(schedule_id))
