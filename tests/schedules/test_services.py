"""Schedule services: the beat entry follows every write; refusals change nothing."""

import json
from datetime import time

import pytest
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from apps.accounts.models import AuditEntry
from apps.core.errors import ApplicationError, PermissionDeniedError
from apps.schedules.models import Schedule
from apps.schedules.services import (
    ScheduleInvalidError,
    schedule_delete,
    schedule_set_enabled,
    schedule_update,
)
from tests.gateways.factories import GatewayFactory
from tests.schedules.factories import make_schedule, scheduled_playbook

pytestmark = pytest.mark.django_db

CRONTAB_FIELDS = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week")


def crontab_of(schedule) -> tuple:
    crontab = PeriodicTask.objects.get(pk=schedule.periodic_task_id).crontab
    return (*(getattr(crontab, name) for name in CRONTAB_FIELDS), str(crontab.timezone))


@pytest.mark.parametrize(
    ("_case", "timing", "expected"),
    [
        ("daily", {"kind": "daily", "time_of_day": "06:30"}, ("30", "6", "*", "*", "*")),
        (
            "weekly",
            {"kind": "weekly", "time_of_day": time(22, 5), "days_of_week": ["thu", "Monday"]},
            ("5", "22", "*", "*", "mon,thu"),
        ),
        (
            "monthly",
            {"kind": "monthly", "time_of_day": "00:00", "day_of_month": 15},
            ("0", "0", "15", "*", "*"),
        ),
        (
            "cron",
            {"kind": "cron", "cron_expression": "  */10   6-18 * * 1-5 "},
            ("*/10", "6-18", "*", "*", "1-5"),
        ),
    ],
)
def test_each_timed_kind_makes_its_crontab_in_the_time_zone(
    team, operator, book, _case, timing, expected
):
    schedule = make_schedule(book, operator, time_zone="Europe/Berlin", **timing)

    task = PeriodicTask.objects.get()
    assert schedule.periodic_task == task
    assert (task.name, task.task, json.loads(task.args), task.enabled) == (
        f"schedule-{schedule.pk}",
        "schedules.launch_scheduled",
        [schedule.pk],
        True,
    )
    assert (task.interval, task.expire_seconds) == (None, 300)
    assert crontab_of(schedule) == (*expected, "Europe/Berlin")


def test_an_interval_makes_an_interval_in_minutes(team, operator, book, settings):
    settings.TIME_ZONE = "America/Chicago"

    schedule = make_schedule(book, operator, kind="interval", interval_minutes=15, time_of_day=None)

    task = PeriodicTask.objects.get()
    assert (task.interval.every, task.interval.period, task.crontab) == (15, "minutes", None)
    assert schedule.time_zone == "America/Chicago"
    assert (schedule.time_of_day, schedule.created_by, schedule.team) == (None, operator, team)
    assert CrontabSchedule.objects.count() == 0


def test_only_the_fields_of_the_kind_are_kept(team, operator, book):
    schedule = make_schedule(
        book,
        operator,
        kind="monthly",
        day_of_month=3,
        interval_minutes=5,
        days_of_week=["mon"],
        cron_expression="nonsense",
    )

    assert (schedule.day_of_month, schedule.time_of_day) == (3, time(6, 30))
    assert (schedule.interval_minutes, schedule.days_of_week, schedule.cron_expression) == (
        None,
        [],
        "",
    )


def test_editing_the_timing_replaces_the_crontab_and_drops_the_old_one(team, operator, book):
    schedule = make_schedule(book, operator)
    old = schedule.periodic_task.crontab_id

    schedule_update(schedule, actor=operator, kind="cron", cron_expression="0 */2 * * *")
    schedule_update(schedule, actor=operator, time_zone="Asia/Tokyo")

    assert crontab_of(schedule) == ("0", "*/2", "*", "*", "*", "Asia/Tokyo")
    assert CrontabSchedule.objects.count() == 1
    assert not CrontabSchedule.objects.filter(pk=old).exists()
    assert PeriodicTask.objects.count() == 1


def test_switching_between_interval_and_crontab(team, operator, book):
    schedule = make_schedule(book, operator, kind="interval", interval_minutes=30)

    schedule_update(schedule, actor=operator, kind="daily", time_of_day="07:00")
    after_daily = (IntervalSchedule.objects.count(), CrontabSchedule.objects.count())
    schedule_update(schedule, actor=operator, kind="interval", interval_minutes=45)

    task = PeriodicTask.objects.get()
    assert after_daily == (0, 1)
    assert (task.interval.every, task.crontab) == (45, None)
    assert (IntervalSchedule.objects.count(), CrontabSchedule.objects.count()) == (1, 0)


def test_a_change_that_keeps_the_timing_keeps_the_rows(team, operator, book):
    schedule = make_schedule(book, operator)
    crontab_id = schedule.periodic_task.crontab_id

    schedule_update(
        schedule, actor=operator, name="Renamed", parameters={"gateway_url": "http://x"}
    )

    schedule.refresh_from_db()
    assert schedule.periodic_task.crontab_id == crontab_id
    assert (schedule.name, schedule.parameters) == ("Renamed", {"gateway_url": "http://x"})
    assert "Renamed" in schedule.periodic_task.description


def test_disabling_and_enabling_follow_on_the_periodic_task(team, operator, book):
    schedule = make_schedule(book, operator)

    schedule_set_enabled(schedule, actor=operator, enabled=False)
    disabled = PeriodicTask.objects.get().enabled
    schedule_set_enabled(schedule, actor=operator, enabled=True)

    assert disabled is False
    assert PeriodicTask.objects.get().enabled is True
    assert list(AuditEntry.objects.values_list("action", flat=True)[:2]) == [
        "schedule.enable",
        "schedule.disable",
    ]


def test_a_schedule_created_disabled_has_a_disabled_task(team, operator, book):
    make_schedule(book, operator, enabled=False, skip_if_running=False)

    assert PeriodicTask.objects.get().enabled is False
    assert Schedule.objects.get().skip_if_running is False


def test_deleting_removes_the_periodic_task_and_its_crontab(team, operator, book):
    schedule = make_schedule(book, operator)

    schedule_delete(schedule, actor=operator)

    assert Schedule.objects.count() == PeriodicTask.objects.count() == 0
    assert CrontabSchedule.objects.count() == 0


def test_a_crontab_another_task_uses_is_kept(team, operator, book):
    schedule = make_schedule(book, operator)
    other = PeriodicTask.objects.create(
        name="someone else", task="x", crontab=schedule.periodic_task.crontab
    )

    schedule_update(schedule, actor=operator, time_of_day="08:00")
    schedule_delete(schedule, actor=operator)

    assert list(PeriodicTask.objects.all()) == [other]
    assert CrontabSchedule.objects.get() == other.crontab


def test_the_beat_entry_is_made_again_when_it_was_removed(team, operator, book):
    schedule = make_schedule(book, operator)
    PeriodicTask.objects.all().delete()
    schedule.refresh_from_db()

    schedule_set_enabled(schedule, actor=operator, enabled=True)

    assert schedule.periodic_task == PeriodicTask.objects.get()


@pytest.mark.parametrize("persona", ["viewer", "editor", "outsider"])
def test_only_operators_of_the_team_schedule(request, team, operator, book, persona):
    schedule = make_schedule(book, operator)
    person = request.getfixturevalue(persona)
    message = "Only operators of Line 1 may schedule playbooks."

    with pytest.raises(PermissionDeniedError, match=message):
        make_schedule(book, person, name="Another")
    with pytest.raises(PermissionDeniedError, match=message):
        schedule_update(schedule, actor=person, name="Taken over")
    with pytest.raises(PermissionDeniedError, match=message):
        schedule_set_enabled(schedule, actor=person, enabled=False)
    with pytest.raises(PermissionDeniedError, match=message):
        schedule_delete(schedule, actor=person)

    schedule.refresh_from_db()
    assert (schedule.name, schedule.enabled) == ("Nightly", True)
    assert Schedule.objects.count() == PeriodicTask.objects.count() == 1


def test_admins_schedule_in_any_team(team, admin_user, book):
    schedule = make_schedule(book, admin_user)

    assert schedule.team == team


def test_every_problem_is_reported_by_field_and_nothing_is_saved(team, operator, book):
    with pytest.raises(ScheduleInvalidError) as raised:
        make_schedule(
            book,
            operator,
            name=" ",
            kind="cron",
            cron_expression="0 25 * * *",
            time_zone="Mars/Olympus",
            parameters={"retries": "many", "ghost": 1},
        )

    assert raised.value.errors == {
        "name": ["A schedule needs a name."],
        "cron_expression": [
            "Field 2, hour (0-23): '25' is not valid (Invalid end range: 25 > 23)."
        ],
        "time_zone": [
            "'Mars/Olympus' is not a known IANA time zone; use a name like Europe/Berlin, "
            "America/Chicago or UTC."
        ],
        "parameters": [
            "unknown parameter 'ghost'",
            "'gateway_url' is required",
            "'retries' must be a whole number, not 'many'",
        ],
    }
    assert raised.value.extra == raised.value.errors
    assert raised.value.message.startswith("The schedule was not saved. name: A schedule needs")
    assert Schedule.objects.count() == PeriodicTask.objects.count() == 0
    assert CrontabSchedule.objects.count() == 0


@pytest.mark.parametrize(
    ("_case", "timing", "field", "message"),
    [
        ("no minutes", {"kind": "interval"}, "interval_minutes", "whole number of minutes"),
        ("zero", {"kind": "interval", "interval_minutes": 0}, "interval_minutes", "1 to 527040"),
        ("no time", {"kind": "daily", "time_of_day": None}, "time_of_day", "Daily schedules"),
        ("bad time", {"kind": "daily", "time_of_day": "25:00"}, "time_of_day", "HH:MM"),
        ("no days", {"kind": "weekly"}, "days_of_week", "Choose at least one day"),
        ("bad day", {"kind": "weekly", "days_of_week": ["funday"]}, "days_of_week", "funday"),
        ("day 32", {"kind": "monthly", "day_of_month": 32}, "day_of_month", "from 1 to 31"),
        ("kind", {"kind": "yearly"}, "kind", "Unknown kind 'yearly'"),
        ("no zone", {"time_zone": " "}, "time_zone", "Choose a time zone"),
    ],
)
def test_timing_problems_name_their_field(team, operator, book, _case, timing, field, message):
    with pytest.raises(ScheduleInvalidError) as raised:
        make_schedule(book, operator, **{"time_of_day": "06:30", **timing})

    assert list(raised.value.errors) == [field]
    assert message in raised.value.errors[field][0]


def test_a_failed_update_changes_nothing(team, operator, book):
    schedule = make_schedule(book, operator)
    make_schedule(book, operator, name="Other")
    before = crontab_of(schedule)

    with pytest.raises(ScheduleInvalidError) as raised:
        schedule_update(schedule, actor=operator, name="Other", time_of_day="09:00")

    assert raised.value.errors == {"name": ["A schedule named 'Other' already exists in Line 1."]}
    schedule.refresh_from_db()
    assert (schedule.name, schedule.time_of_day) == ("Nightly", time(6, 30))
    assert crontab_of(schedule) == before


def test_unknown_fields_cannot_be_changed(team, operator, book):
    schedule = make_schedule(book, operator)

    with pytest.raises(ApplicationError, match="These fields cannot be changed: team."):
        schedule_update(schedule, actor=operator, team=None)


def test_playbook_and_gateway_must_be_of_the_team(team, other_team, operator, book):
    schedule = make_schedule(book, operator)
    foreign_gateway = GatewayFactory(team=other_team, name="far")
    foreign_book = scheduled_playbook(other_team, name="Foreign")

    with pytest.raises(ScheduleInvalidError) as raised:
        schedule_update(schedule, actor=operator, playbook=foreign_book, gateway=foreign_gateway)

    assert raised.value.errors == {
        "playbook": ["Playbook 'Foreign' belongs to another team than the schedule."],
        "gateway": ["Gateway 'far' belongs to another team than the playbook."],
    }


def test_a_playbook_without_a_version_cannot_be_scheduled(team, operator, book):
    book.current_version = None
    book.save()

    with pytest.raises(ScheduleInvalidError) as raised:
        make_schedule(book, operator)

    assert raised.value.errors == {"playbook": ["Playbook 'Nightly check' has no version to run."]}


def test_names_have_at_most_100_characters(team, operator, book):
    with pytest.raises(ScheduleInvalidError) as raised:
        make_schedule(book, operator, name="x" * 101)

    assert raised.value.errors == {"name": ["A schedule's name has at most 100 characters."]}
