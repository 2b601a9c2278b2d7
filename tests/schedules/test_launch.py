"""schedule_launch: real queued runs, skips while one is live, refusals recorded not raised."""

import logging

import pytest
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from apps.executions.models import Execution, ExecutionStatus
from apps.playbooks.loader import load_playbook
from apps.playbooks.services._common import store_version
from apps.schedules.models import Schedule
from apps.schedules.services import schedule_launch
from tests.executions.factories import steps_yaml
from tests.gateways.factories import GatewayFactory
from tests.schedules.factories import PARAMETERS, STEP, make_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule(team, operator, book, credential):
    gateway = GatewayFactory(team=team, name="Line 1 gw", base_url="http://plant-gw:8088")
    return make_schedule(
        book, operator, parameters={"retries": 4, "login": credential.name}, gateway=gateway
    )


def test_launches_a_queued_run_with_the_stored_values(
    schedule, operator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        execution = schedule_launch(schedule.pk)

    assert (execution.status, execution.requested_by, execution.gateway) == (
        ExecutionStatus.QUEUED,
        operator,
        schedule.gateway,
    )
    assert execution.parameters == {
        "gateway_url": "http://plant-gw:8088",
        "login": "line1-gateway",
        "retries": 4,
    }
    assert len(callbacks) == 2  # the run's enqueue and its queued event
    schedule.refresh_from_db()
    assert schedule.last_execution == execution
    assert schedule.last_run_at == schedule.last_triggered_at is not None
    assert (schedule.last_error, schedule.last_skip_reason) == ("", "")


def test_skips_while_the_previous_run_is_live_and_says_why(schedule, caplog):
    first = schedule_launch(schedule.pk)

    with caplog.at_level(logging.INFO, logger="apps.schedules.services"):
        second = schedule_launch(schedule.pk)

    reason = f"The previous run {first.pk} was still queued; this run was skipped."
    schedule.refresh_from_db()
    assert second is None
    assert Execution.objects.count() == 1
    assert (schedule.last_skip_reason, schedule.last_execution) == (reason, first)
    assert schedule.last_triggered_at > schedule.last_run_at
    assert f"Schedule {schedule.pk} (Nightly) skipped: {reason}" in caplog.messages


def test_launches_again_once_the_previous_run_finished(schedule):
    first = schedule_launch(schedule.pk)
    schedule_launch(schedule.pk)
    Execution.objects.filter(pk=first.pk).update(status=ExecutionStatus.COMPLETED)

    second = schedule_launch(schedule.pk)

    schedule.refresh_from_db()
    assert second is not None
    assert second != first
    assert (schedule.last_execution, schedule.last_skip_reason) == (second, "")


def test_overlapping_runs_when_asked_to(schedule, operator):
    schedule.skip_if_running = False
    schedule.save()

    runs = [schedule_launch(schedule.pk), schedule_launch(schedule.pk)]

    assert None not in runs
    assert Execution.objects.filter(status=ExecutionStatus.QUEUED).count() == 2


def test_a_disabled_playbook_is_recorded_not_raised(schedule, book, caplog):
    book.enabled = False
    book.save()

    with caplog.at_level(logging.WARNING, logger="apps.schedules.services"):
        result = schedule_launch(schedule.pk)

    message = "Playbook 'Nightly check' is disabled; enable it to run it."
    schedule.refresh_from_db()
    assert result is None
    assert Execution.objects.count() == 0
    assert (schedule.last_error, schedule.last_run_at) == (message, None)
    assert schedule.last_triggered_at is not None
    assert f"Schedule {schedule.pk} (Nightly) not launched: {message}" in caplog.messages


def test_parameters_no_longer_valid_are_recorded(schedule, book):
    text = steps_yaml(
        STEP, parameters=PARAMETERS + "    - {name: line, type: integer, required: true}\n"
    )
    store_version(book, text=text, loaded=load_playbook(text), actor=None, change_note="")

    schedule_launch(schedule.pk)

    schedule.refresh_from_db()
    assert schedule.last_error == "Invalid parameters: 'line' is required"
    assert Execution.objects.count() == 0


def test_a_creator_who_lost_the_role_is_recorded(schedule, operator):
    operator.groups.clear()

    schedule_launch(schedule.pk)

    schedule.refresh_from_db()
    assert schedule.last_error == (
        "The schedule runs as oscar-operator, who may no longer run playbooks: Only operators "
        "of Line 1 may schedule playbooks. Create the schedule again as an operator of Line 1."
    )
    assert Execution.objects.count() == 0


def test_a_deleted_creator_is_recorded(schedule, operator):
    operator.delete()

    schedule_launch(schedule.pk)

    schedule.refresh_from_db()
    assert schedule.last_error == (
        "The user who created this schedule no longer exists; create the schedule again."
    )


def test_a_later_launch_clears_the_error(schedule, book):
    book.enabled = False
    book.save()
    schedule_launch(schedule.pk)
    book.enabled = True
    book.save()

    execution = schedule_launch(schedule.pk)

    schedule.refresh_from_db()
    assert (schedule.last_error, schedule.last_execution) == ("", execution)


def test_a_disabled_schedule_launches_nothing(schedule):
    Schedule.objects.filter(pk=schedule.pk).update(enabled=False)

    assert schedule_launch(schedule.pk) is None

    schedule.refresh_from_db()
    assert (schedule.last_triggered_at, Execution.objects.count()) == (None, 0)


def test_the_beat_entry_of_a_deleted_schedule_is_removed(schedule, book):
    book.delete()  # cascades to the schedule, but not to its beat entry

    assert schedule_launch(schedule.pk) is None

    assert PeriodicTask.objects.count() == CrontabSchedule.objects.count() == 0


def test_an_unknown_schedule_is_harmless():
    assert schedule_launch(123456) is None


def test_each_trigger_replaces_the_last_problem(schedule, book):
    first = schedule_launch(schedule.pk)
    schedule_launch(schedule.pk)  # skipped: the first is still queued
    Execution.objects.filter(pk=first.pk).update(status=ExecutionStatus.FAILED)
    book.enabled = False
    book.save()

    schedule_launch(schedule.pk)

    schedule.refresh_from_db()
    assert schedule.last_skip_reason == ""
    assert schedule.last_error == "Playbook 'Nightly check' is disabled; enable it to run it."
