"""Admin: read-only rows; enable, disable and delete go through the services."""

import pytest
from django_celery_beat.models import PeriodicTask

from apps.accounts.models import AuditEntry
from apps.schedules.models import Schedule
from tests.schedules.factories import make_schedule

pytestmark = pytest.mark.django_db

BASE = "/admin/schedules/schedule/"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def schedule(team, operator, book):
    return make_schedule(book, operator)


def test_changelist_and_read_only_detail(admin_client, schedule):
    listing = admin_client.get(BASE, {"q": "night"})
    detail = admin_client.get(f"{BASE}{schedule.pk}/change/")

    assert b"Nightly" in listing.content
    assert detail.status_code == 200
    assert b'name="name"' not in detail.content
    assert admin_client.get(f"{BASE}add/").status_code == 403


@pytest.mark.parametrize(("action", "enabled"), [("disable", False), ("enable", True)])
def test_actions_switch_through_the_service(admin_client, schedule, action, enabled):
    response = admin_client.post(
        BASE, {"action": action, "_selected_action": [schedule.pk]}, follow=True
    )

    assert "1 schedule(s)" in response.content.decode()
    assert PeriodicTask.objects.get().enabled is enabled
    assert AuditEntry.objects.filter(action=f"schedule.{action}").count() == 1


def test_delete_removes_the_beat_entry(admin_client, schedule):
    single = admin_client.post(f"{BASE}{schedule.pk}/delete/", {"post": "yes"})
    other = make_schedule(schedule.playbook, schedule.created_by, name="Other")
    bulk = admin_client.post(
        BASE, {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"}
    )

    assert (single.status_code, bulk.status_code) == (302, 302)
    assert Schedule.objects.count() == PeriodicTask.objects.count() == 0


def test_staff_without_the_admin_role_see_nothing(client, team, operator, schedule):
    operator.is_staff = True
    operator.save()
    client.force_login(operator)

    assert client.get(BASE).status_code == 403
