"""API /api/v1/schedules/: CRUD and toggle, field errors, access triad, query count."""

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.schedules.models import Schedule
from apps.schedules.services import schedule_launch
from tests.accounts.factories import UserFactory
from tests.gateways.factories import GatewayFactory
from tests.schedules.factories import make_schedule, scheduled_playbook

pytestmark = pytest.mark.django_db

URL = "/api/v1/schedules/"


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def body(book, **values) -> dict:
    return {
        "name": "Every weekday",
        "playbook": book.pk,
        "kind": "cron",
        "cron_expression": "30 6 * * 1-5",
        "time_zone": "Europe/Berlin",
        "parameters": {"gateway_url": "http://gw:8088"},
        **values,
    }


@time_machine.travel("2026-03-27 12:00Z", tick=False)
def test_list(team, other_team, operator, viewer, book):
    gateway = GatewayFactory(team=team, name="gw")
    schedule = make_schedule(book, operator, gateway=gateway, time_zone="Asia/Tokyo")
    theirs = UserFactory(roles=["operator"], teams=[other_team])
    make_schedule(scheduled_playbook(other_team), theirs, name="Theirs")
    execution = schedule_launch(schedule.pk)

    response = client_for(viewer).get(URL)

    [item] = response.json()["results"]
    assert {k: item[k] for k in ("id", "name", "playbook_name", "gateway_name", "kind")} == {
        "id": schedule.pk,
        "name": "Nightly",
        "playbook_name": "Nightly check",
        "gateway_name": "gw",
        "kind": "daily",
    }
    assert (item["time_of_day"], item["time_zone"], item["description"]) == (
        "06:30",
        "Asia/Tokyo",
        "Daily at 06:30",
    )
    assert item["next_run_at"] == "2026-03-28T06:30:00+09:00"
    assert (item["last_execution"], item["last_execution_status"]) == (str(execution.pk), "queued")
    assert (item["created_by"], item["enabled"], item["skip_if_running"]) == (
        "oscar-operator",
        True,
        True,
    )


def test_list_query_count_does_not_grow(team, operator, book, django_assert_num_queries):
    for number in range(3):
        schedule_launch(make_schedule(book, operator, name=f"daily-{number}").pk)
    for number in range(3):
        make_schedule(
            book, operator, name=f"interval-{number}", kind="interval", interval_minutes=9
        )
    client = client_for(User.objects.get(pk=operator.pk))  # roles not cached yet

    with django_assert_num_queries(3):  # the user's roles, the count, one page
        response = client.get(URL)

    assert len(response.json()["results"]) == 6


def test_create_update_toggle_delete(team, operator, book):
    client = client_for(operator)

    created = client.post(URL, body(book), format="json")
    schedule_id = created.json()["id"]
    patched = client.patch(f"{URL}{schedule_id}/", {"cron_expression": "0 7 * * *"}, format="json")
    put = client.put(
        f"{URL}{schedule_id}/",
        body(book, kind="interval", interval_minutes=30, enabled=False),
        format="json",
    )
    flipped = client.post(f"{URL}{schedule_id}/toggle/")
    kept = client.post(f"{URL}{schedule_id}/toggle/", {"enabled": True}, format="json")
    deleted = client.delete(f"{URL}{schedule_id}/")

    statuses = [r.status_code for r in (created, patched, put, flipped, kept, deleted)]
    assert statuses == [201, 200, 200, 200, 200, 204]
    assert created.json()["description"] == "At 06:30, Monday through Friday (cron 30 6 * * 1-5)"
    assert patched.json()["cron_expression"] == "0 7 * * *"
    assert (put.json()["kind"], put.json()["cron_expression"], put.json()["enabled"]) == (
        "interval",
        "",
        False,
    )
    assert put.json()["next_run_at"] is None
    assert (flipped.json()["enabled"], kept.json()["enabled"]) == (True, True)
    assert Schedule.objects.count() == PeriodicTask.objects.count() == 0


def test_the_time_zone_defaults_to_the_portals(team, operator, book, settings):
    settings.TIME_ZONE = "Europe/Paris"
    data = body(book)
    del data["time_zone"]

    response = client_for(operator).post(URL, data, format="json")

    assert response.json()["time_zone"] == "Europe/Paris"
    assert str(PeriodicTask.objects.get().crontab.timezone) == "Europe/Paris"


@pytest.mark.parametrize(
    ("_case", "change", "field", "problem"),
    [
        (
            "cron",
            {"cron_expression": "30 6 * * 9"},
            "cron_expression",
            "Field 5, day of week (0-6 or sun-sat, 0 is Sunday): '9' is not valid "
            "(Invalid end range: 9 > 6).",
        ),
        (
            "zone",
            {"time_zone": "CEST"},
            "time_zone",
            "'CEST' is not a known IANA time zone; use a name like Europe/Berlin, "
            "America/Chicago or UTC.",
        ),
        ("parameters", {"parameters": {"retries": "x"}}, "parameters", "'gateway_url' is required"),
    ],
)
def test_invalid_values_are_400s_by_field(team, operator, book, _case, change, field, problem):
    response = client_for(operator).post(URL, body(book, **change), format="json")

    assert response.status_code == 400
    assert response.json()[field][0] == problem
    assert response.json()["detail"].startswith(f"The schedule was not saved. {field}: ")
    assert Schedule.objects.count() == PeriodicTask.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [({"kind": "yearly"}, "kind"), ({"days_of_week": ["funday"]}, "days_of_week")],
)
def test_malformed_input_is_a_400(team, operator, book, change, field):
    response = client_for(operator).post(URL, body(book, **change), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert Schedule.objects.count() == 0


def test_a_refused_update_changes_nothing(team, operator, book):
    schedule = make_schedule(book, operator)

    response = client_for(operator).patch(
        f"{URL}{schedule.pk}/", {"name": "Renamed", "time_zone": "Nowhere/Town"}, format="json"
    )

    assert response.status_code == 400
    schedule.refresh_from_db()
    assert (schedule.name, schedule.time_zone) == ("Nightly", "UTC")


def test_access_triad(team, operator, outsider, book):
    schedule = make_schedule(book, operator)
    item = f"{URL}{schedule.pk}/"

    assert client_for(outsider).get(item).status_code == 404
    assert client_for(outsider).patch(item, {"name": "x"}, format="json").status_code == 404
    assert client_for(outsider).put(item, body(book), format="json").status_code == 404
    assert client_for(outsider).post(f"{item}toggle/").status_code == 404
    assert client_for(outsider).delete(item).status_code == 404
    assert client_for(outsider).post(URL, body(book), format="json").status_code == 404
    assert client_for().get(URL).status_code == 403
    assert client_for().delete(item).status_code == 403
    schedule.refresh_from_db()
    assert (schedule.name, schedule.enabled, Schedule.objects.count()) == ("Nightly", True, 1)


@pytest.mark.parametrize("persona", ["viewer", "editor"])
def test_only_operators_write(request, team, operator, book, persona):
    schedule = make_schedule(book, operator)
    client = client_for(request.getfixturevalue(persona))

    read = client.get(f"{URL}{schedule.pk}/")
    created = client.post(URL, body(book), format="json")
    changed = client.patch(f"{URL}{schedule.pk}/", {"name": "Renamed"}, format="json")
    toggled = client.post(f"{URL}{schedule.pk}/toggle/")
    deleted = client.delete(f"{URL}{schedule.pk}/")

    assert read.status_code == 200
    statuses = [r.status_code for r in (created, changed, toggled, deleted)]
    assert statuses == [403] * 4
    assert created.json()["detail"] == "Only operators of Line 1 may schedule playbooks."
    schedule.refresh_from_db()
    assert (schedule.name, schedule.enabled, Schedule.objects.count()) == ("Nightly", True, 1)


def test_a_gateway_of_another_team_is_not_found(team, other_team, operator, book):
    foreign = GatewayFactory(team=other_team)

    response = client_for(operator).post(URL, body(book, gateway=foreign.pk), format="json")

    assert response.status_code == 404
    assert Schedule.objects.count() == 0
