"""Timing: cron problems named by field, words for each kind, the next run in the zone."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from apps.schedules.models import Schedule
from apps.schedules.selectors import schedule_next_run_at
from apps.schedules.services import schedule_set_enabled
from apps.schedules.timing import cron_problem, describe, next_run_at, time_zone_problem
from tests.schedules.factories import make_schedule

NOW = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)  # a Friday, two days before Europe's DST


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("", "A cron expression has 5 fields (minute hour day-of-month month day-of-week), "
         "e.g. '30 6 * * 1-5'; none was given."),
        ("0 6 * *", "A cron expression has 5 fields (minute hour day-of-month month "
         "day-of-week), e.g. '30 6 * * 1-5'; '0 6 * *' has 4."),
        ("61 * * * *", "Field 1, minute (0-59): '61' is not valid (Invalid end range: 61 > 59)."),
        ("a-b * * * *", "Field 1, minute (0-59): 'a-b' is not valid (use numbers, *, ranges "
         "like 1-5, steps like */15 and lists like 1,15)."),
        ("*/0 * * * *", "Field 1, minute (0-59): '*/0' is not valid (slice step cannot be zero)."),
        ("0 0 * 13 *", "Field 4, month (1-12): '13' is not valid (Invalid end range: 13 > 12)."),
        ("0 0 * * funday", "Field 5, day of week (0-6 or sun-sat, 0 is Sunday): 'funday' is not "
         "valid (Invalid weekday literal 'funday')."),
        ("1,,2 * * * *", "Field 1, minute (0-59): '1,,2' is not valid (empty part)."),
        ("5-1 * * * *", "The cron expression '5-1 * * * *' cannot run: Bad range '5-1'"),
        ("0 0 31 2 *", "The cron expression '0 0 31 2 *' cannot run: Invalid crontab: "
         "day_of_month '31' never occurs in month_of_year '2'."),
    ],
)  # fmt: skip
def test_cron_problems_name_the_field(expression, problem):
    assert cron_problem(expression) == problem


@pytest.mark.parametrize("expression", ["*/15 * * * *", "30 6 * * mon-fri", "0 0 1,15 * *"])
def test_good_cron_expressions(expression):
    assert cron_problem(expression) is None


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"kind": "interval", "interval_minutes": 1}, "Every minute"),
        ({"kind": "interval", "interval_minutes": 45}, "Every 45 minutes"),
        ({"kind": "interval", "interval_minutes": 60}, "Every hour"),
        ({"kind": "interval", "interval_minutes": 180}, "Every 3 hours"),
        ({"kind": "interval", "interval_minutes": None}, "Every ? minutes"),
        ({"kind": "daily", "time_of_day": time(6, 5)}, "Daily at 06:05"),
        (
            {"kind": "weekly", "time_of_day": time(22, 0), "days_of_week": ["mon", "thu"]},
            "Weekly on Mon, Thu at 22:00",
        ),
        ({"kind": "monthly", "time_of_day": None, "day_of_month": 1}, "Monthly on day 1 at ?"),
        (
            {"kind": "cron", "cron_expression": "0 6 * * 1-5"},
            "At 06:00, Monday through Friday (cron 0 6 * * 1-5)",
        ),
        ({"kind": "cron", "cron_expression": "nonsense"}, "Cron (cron nonsense)"),
    ],
)
def test_words_for_each_kind(values, words):
    assert describe(Schedule(**values)) == words


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("_case", "values", "expected"),
    [
        ("today", {"time_of_day": "14:30"}, "2026-03-27T14:30:00+01:00"),
        ("tomorrow", {"time_of_day": "06:30"}, "2026-03-28T06:30:00+01:00"),
        (
            "DST",
            {"kind": "weekly", "days_of_week": ["sun"], "time_of_day": "02:30"},
            "2026-03-29T03:30:00+02:00",
        ),
        ("monthly", {"kind": "monthly", "day_of_month": 1}, "2026-04-01T06:30:00+02:00"),
        ("cron", {"kind": "cron", "cron_expression": "*/20 * * * *"}, "2026-03-27T13:20:00+01:00"),
    ],
)
def test_next_run_in_the_schedules_zone(team, operator, book, _case, values, expected):
    schedule = make_schedule(book, operator, time_zone="Europe/Berlin", **values)

    assert schedule_next_run_at(schedule).isoformat() == expected


@pytest.mark.django_db
def test_next_run_of_an_interval_counts_from_the_last_run(team, operator, book):
    schedule = make_schedule(book, operator, kind="interval", interval_minutes=90, time_zone="UTC")
    task = schedule.periodic_task

    PeriodicTask.objects.filter(pk=task.pk).update(last_run_at=NOW)
    task.refresh_from_db()
    after_run = schedule_next_run_at(schedule, now=NOW + timedelta(minutes=10))
    overdue = schedule_next_run_at(schedule, now=NOW + timedelta(hours=5))

    assert after_run == NOW + timedelta(minutes=90)
    assert overdue == NOW + timedelta(hours=5)


@pytest.mark.django_db
def test_no_next_run_when_disabled_or_not_registered(team, operator, book):
    schedule = make_schedule(book, operator)

    schedule_set_enabled(schedule, actor=operator, enabled=False)
    disabled = schedule_next_run_at(schedule)
    schedule.enabled = True
    schedule.periodic_task = None

    assert disabled is None
    assert schedule_next_run_at(schedule) is None


def test_no_next_run_for_a_task_without_a_timing():
    assert next_run_at(PeriodicTask(enabled=True), "UTC", now=NOW) is None


@pytest.mark.parametrize("name", ["localtime", "posixrules", "Factory", "CEST"])
def test_names_that_are_no_place_are_not_time_zones(name):
    assert time_zone_problem(name).startswith(f"'{name}' is not a known IANA time zone")
