"""When a schedule fires: its timing fields checked, turned into crontab fields and words.

Pure functions without database access; the services and selectors use them.
"""

import re
import zoneinfo
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from celery.schedules import ParseException, crontab
from cron_descriptor import (
    ExpressionDescriptor,
    FormatException,
    MissingFieldException,
    WrongArgumentException,
)
from django.core.exceptions import ValidationError
from django_celery_beat.validators import crontab_validator

from apps.schedules.models import ScheduleKind

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_INTERVAL_MINUTES = 366 * 24 * 60
# The fields each kind uses; the others are cleared when a schedule is saved.
KIND_FIELDS = {
    ScheduleKind.INTERVAL: ("interval_minutes",),
    ScheduleKind.DAILY: ("time_of_day",),
    ScheduleKind.WEEKLY: ("days_of_week", "time_of_day"),
    ScheduleKind.MONTHLY: ("day_of_month", "time_of_day"),
    ScheduleKind.CRON: ("cron_expression",),
}
TIMING_FIELDS = (
    "interval_minutes",
    "time_of_day",
    "days_of_week",
    "day_of_month",
    "cron_expression",
)
EMPTY = {
    "interval_minutes": None,
    "time_of_day": None,
    "days_of_week": [],
    "day_of_month": None,
    "cron_expression": "",
}
CRON_PARTS = (
    ("minute", "minute (0-59)"),
    ("hour", "hour (0-23)"),
    ("day_of_month", "day of month (1-31)"),
    ("month_of_year", "month (1-12)"),
    ("day_of_week", "day of week (0-6 or sun-sat, 0 is Sunday)"),
)
NUMERIC_PART = re.compile(r"^[0-9*/,\-]+$")
TIME_TEXT = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class Problems(dict):
    """Error messages by field name, as forms and the API show them."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)


# Files of the tz database that name no place: the machine's own zone and placeholders.
NOT_ZONES = {"localtime", "posixrules", "Factory"}


@lru_cache(maxsize=1)
def time_zone_names() -> frozenset[str]:
    """Every IANA time zone name this machine knows."""
    return frozenset(zoneinfo.available_timezones() - NOT_ZONES)


def time_zone_problem(name: Any) -> str | None:
    """Why ``name`` is not a usable IANA time zone, or ``None`` when it is."""
    if not isinstance(name, str) or not name.strip():
        return "Choose a time zone, e.g. Europe/Berlin or UTC."
    if name.strip() not in time_zone_names():
        return (
            f"'{name}' is not a known IANA time zone; use a name like Europe/Berlin, "
            "America/Chicago or UTC."
        )
    return None


def timing_clean(kind: Any, values: dict, problems: Problems) -> dict:
    """The timing fields ``kind`` uses, checked and normalised; the rest emptied."""
    if kind not in ScheduleKind.values:
        problems.add("kind", f"Unknown kind {kind!r}; use one of {', '.join(ScheduleKind.values)}.")
        return dict(EMPTY)
    cleaned = dict(EMPTY)
    for field in KIND_FIELDS[kind]:
        cleaned[field] = CLEANERS[field](values.get(field), kind, problems)
    return cleaned


def _interval(value: Any, kind: str, problems: Problems) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add("interval_minutes", "Interval schedules need a whole number of minutes.")
        return None
    if not 1 <= value <= MAX_INTERVAL_MINUTES:
        problems.add(
            "interval_minutes", f"The interval must be 1 to {MAX_INTERVAL_MINUTES} minutes."
        )
        return None
    return value


def _time(value: Any, kind: str, problems: Problems) -> time | None:
    matched = TIME_TEXT.match(value.strip()) if isinstance(value, str) else None
    if matched:
        return time(int(matched.group(1)), int(matched.group(2)))
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    problems.add("time_of_day", f"{kind.capitalize()} schedules need a time of day as HH:MM.")
    return None


def _days(value: Any, kind: str, problems: Problems) -> list[str]:
    if not isinstance(value, list | tuple) or not value:
        problems.add("days_of_week", f"Choose at least one day: {', '.join(WEEKDAYS)}.")
        return []
    days = [str(day).strip().lower()[:3] for day in value]
    unknown = [str(day) for day, short in zip(value, days, strict=True) if short not in WEEKDAYS]
    if unknown:
        problems.add(
            "days_of_week", f"Unknown day(s) {', '.join(unknown)}; use {', '.join(WEEKDAYS)}."
        )
        return []
    return [day for day in WEEKDAYS if day in days]


def _day_of_month(value: Any, kind: str, problems: Problems) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 31:
        problems.add("day_of_month", "Monthly schedules need a day of the month from 1 to 31.")
        return None
    return value


def _cron(value: Any, kind: str, problems: Problems) -> str:
    expression = " ".join(str(value or "").split())
    problem = cron_problem(expression)
    if problem:
        problems.add("cron_expression", problem)
        return ""
    return expression


CLEANERS = {
    "interval_minutes": _interval,
    "time_of_day": _time,
    "days_of_week": _days,
    "day_of_month": _day_of_month,
    "cron_expression": _cron,
}


def cron_problem(expression: str) -> str | None:
    """Why a five-field cron expression cannot be used, naming the field; ``None`` if fine."""
    parts = expression.split()
    if len(parts) != len(CRON_PARTS):
        given = f"'{expression}' has {len(parts)}" if parts else "none was given"
        return (
            "A cron expression has 5 fields (minute hour day-of-month month day-of-week), "
            f"e.g. '30 6 * * 1-5'; {given}."
        )
    for position, (value, (name, label)) in enumerate(zip(parts, CRON_PARTS, strict=True), 1):
        problem = _cron_part_problem(name, value)
        if problem:
            return f"Field {position}, {label}: '{value}' is not valid ({problem})."
    try:
        crontab_validator(expression)
        crontab(**dict(zip([name for name, _ in CRON_PARTS], parts, strict=True)))
    except (ValidationError, ValueError) as exc:
        detail = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return f"The cron expression '{expression}' cannot run: {detail}"
    return None


def _cron_part_problem(name: str, value: str) -> str | None:
    if name != "day_of_week" and not NUMERIC_PART.match(value):
        return "use numbers, *, ranges like 1-5, steps like */15 and lists like 1,15"
    try:
        crontab(**{name: value})
    except (ValueError, ParseException) as exc:
        return str(exc).rstrip(".") or "cannot be parsed"
    return None


def crontab_fields(schedule) -> dict[str, str]:
    """The five crontab fields of a daily, weekly, monthly or cron schedule."""
    if schedule.kind == ScheduleKind.CRON:
        names = [name for name, _ in CRON_PARTS]
        return dict(zip(names, schedule.cron_expression.split(), strict=True))
    at = schedule.time_of_day
    fields = {
        "minute": str(at.minute),
        "hour": str(at.hour),
        "day_of_month": "*",
        "month_of_year": "*",
        "day_of_week": "*",
    }
    if schedule.kind == ScheduleKind.WEEKLY:
        fields["day_of_week"] = ",".join(schedule.days_of_week)
    if schedule.kind == ScheduleKind.MONTHLY:
        fields["day_of_month"] = str(schedule.day_of_month)
    return fields


def describe(schedule) -> str:
    """The timing in words, e.g. "Weekly on Mon, Thu at 06:30" (without the zone)."""
    kind = schedule.kind
    if kind == ScheduleKind.INTERVAL:
        return _every(schedule.interval_minutes)
    if kind == ScheduleKind.CRON:
        try:
            words = ExpressionDescriptor(
                schedule.cron_expression, use_24hour_time_format=True
            ).get_description()
        except (FormatException, MissingFieldException, WrongArgumentException):
            words = "Cron"
        return f"{words} (cron {schedule.cron_expression})"
    at = schedule.time_of_day.strftime("%H:%M") if schedule.time_of_day else "?"
    if kind == ScheduleKind.WEEKLY:
        days = ", ".join(day.capitalize() for day in schedule.days_of_week)
        return f"Weekly on {days} at {at}"
    if kind == ScheduleKind.MONTHLY:
        return f"Monthly on day {schedule.day_of_month} at {at}"
    return f"Daily at {at}"


def _every(minutes: int | None) -> str:
    if not minutes:
        return "Every ? minutes"
    if minutes % 60 == 0:
        hours = minutes // 60
        return "Every hour" if hours == 1 else f"Every {hours} hours"
    return "Every minute" if minutes == 1 else f"Every {minutes} minutes"


def next_run_at(periodic_task, zone_name: str, *, now: datetime) -> datetime | None:
    """When beat will next send the task, in the schedule's zone; ``None`` when it won't."""
    if periodic_task is None or not periodic_task.enabled:
        return None
    zone = zoneinfo.ZoneInfo(zone_name)
    if periodic_task.interval_id is not None:
        every = timedelta(**{periodic_task.interval.period: periodic_task.interval.every})
        since = periodic_task.last_run_at or periodic_task.date_changed or now
        return max(since + every, now).astimezone(zone)
    if periodic_task.crontab_id is None:
        return None
    start, ends_in, _ = periodic_task.crontab.schedule.remaining_delta(now.astimezone(zone))
    # Through UTC, so a wall time skipped by a DST change shows as the real instant.
    return (start + ends_in).astimezone(UTC).astimezone(zone)
