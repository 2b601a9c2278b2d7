"""A schedule's django-celery-beat entry, kept in step by the services (their helper only).

Every function here runs inside a service's transaction; nothing else calls them.
"""

import json

from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from apps.schedules import timing
from apps.schedules.models import Schedule, ScheduleKind

TASK_NAME = "schedules.launch_scheduled"
# A trigger a worker receives later than this is dropped: after an outage the backlog does
# not start a burst of runs, and a message redelivered hours later launches nothing.
LAUNCH_EXPIRES_SECONDS = 300


def periodic_task_name(schedule_id: int) -> str:
    return f"schedule-{schedule_id}"


def periodic_task_of(schedule_id: int) -> PeriodicTask | None:
    """The beat entry made for a schedule id, found by its name."""
    return PeriodicTask.objects.filter(name=periodic_task_name(schedule_id)).first()


def sync_periodic_task(schedule: Schedule) -> None:
    """Create or update the beat entry so it matches the schedule."""
    task = schedule.periodic_task or periodic_task_of(schedule.pk)
    task = task or PeriodicTask(name=periodic_task_name(schedule.pk))
    previous = (task.crontab, task.interval)
    if schedule.kind == ScheduleKind.INTERVAL:
        task.interval, task.crontab = _interval_for(schedule, task.interval), None
    else:
        task.crontab, task.interval = _crontab_for(schedule, task.crontab), None
    task.task = TASK_NAME
    task.args = json.dumps([schedule.pk])
    task.kwargs = "{}"
    task.enabled = schedule.enabled
    task.expire_seconds = LAUNCH_EXPIRES_SECONDS
    task.description = f"{schedule.team}: {schedule.name} (playbook {schedule.playbook})"
    task.save()
    _drop_if_unused(*previous)
    if schedule.periodic_task_id != task.pk:
        schedule.periodic_task = task
        schedule.save(update_fields=["periodic_task"])


def _crontab_for(schedule: Schedule, current: CrontabSchedule | None) -> CrontabSchedule:
    spec = {**timing.crontab_fields(schedule), "timezone": schedule.time_zone}
    if current is not None and all(str(getattr(current, k)) == v for k, v in spec.items()):
        return current
    # A row of its own, so no other beat entry changes or goes with it.
    return CrontabSchedule.objects.create(**spec)


def _interval_for(schedule: Schedule, current: IntervalSchedule | None) -> IntervalSchedule:
    minutes = schedule.interval_minutes
    if current is not None and (current.every, current.period) == (minutes, "minutes"):
        return current
    return IntervalSchedule.objects.create(every=minutes, period=IntervalSchedule.MINUTES)


def remove_periodic_task(task: PeriodicTask | None) -> None:
    if task is None:
        return
    previous = (task.crontab, task.interval)
    task.delete()
    _drop_if_unused(*previous)


def _drop_if_unused(crontab: CrontabSchedule | None, interval: IntervalSchedule | None) -> None:
    # Crontab and interval rows cascade to every task using them: delete only unused ones.
    if crontab is not None:
        CrontabSchedule.objects.filter(pk=crontab.pk, periodictask__isnull=True).delete()
    if interval is not None:
        IntervalSchedule.objects.filter(pk=interval.pk, periodictask__isnull=True).delete()
