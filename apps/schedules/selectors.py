"""Reads of schedules, scoped to the user's teams, and when each will run next."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.selectors import scope_to_user
from apps.core.errors import NotFoundError
from apps.schedules import timing
from apps.schedules.models import Schedule

RELATED = (
    "team",
    "playbook",
    "gateway",
    "created_by",
    "last_execution",
    "last_batch",
    "periodic_task__crontab",
    "periodic_task__interval",
)


@dataclass(frozen=True)
class ScheduleRow:
    """A schedule with what the list shows about it beyond its own fields."""

    schedule: Schedule
    when: str
    next_run_at: datetime | None


def schedule_list_for_user(user: User) -> QuerySet[Schedule]:
    """Schedules of the user's teams (admins: all), with everything the list shows."""
    return scope_to_user(Schedule.objects.select_related(*RELATED), user)


def schedule_get_for_user(user: User, schedule_id: int) -> Schedule:
    """One schedule the user may see, or ``NotFoundError``."""
    try:
        return schedule_list_for_user(user).get(pk=schedule_id)
    except (Schedule.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(f"Schedule {schedule_id} does not exist or is not yours.") from None


def schedule_next_run_at(schedule: Schedule, *, now: datetime | None = None) -> datetime | None:
    """When beat will next launch it, in the schedule's time zone; ``None`` if disabled."""
    if not schedule.enabled:
        return None
    return timing.next_run_at(schedule.periodic_task, schedule.time_zone, now=now or timezone.now())


def schedule_describe(schedule: Schedule) -> str:
    """The timing in words, e.g. "Daily at 06:30"."""
    return timing.describe(schedule)


def schedule_rows_for_user(user: User) -> list[ScheduleRow]:
    """The schedules page: every visible schedule with its timing in words and next run."""
    now = timezone.now()
    return [schedule_row(schedule, now=now) for schedule in schedule_list_for_user(user)]


def schedule_row(schedule: Schedule, *, now: datetime | None = None) -> ScheduleRow:
    """One schedule as the list shows it."""
    return ScheduleRow(
        schedule=schedule,
        when=schedule_describe(schedule),
        next_run_at=schedule_next_run_at(schedule, now=now),
    )
