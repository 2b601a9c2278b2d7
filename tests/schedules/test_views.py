"""The schedules page: list, add, edit, delete with confirmation, and the on/off switch."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask

from apps.schedules.models import Schedule
from apps.schedules.services import schedule_launch
from tests.gateways.factories import GatewayFactory
from tests.schedules.factories import make_schedule

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def logged_in(client, user):
    client.force_login(user)
    return client


def form_data(book, **values):
    return {
        "name": "Morning check",
        "playbook": book.pk,
        "kind": "weekly",
        "days_of_week": ["mon", "fri"],
        "time_of_day": "06:15",
        "interval_minutes": "not used by weekly",
        "time_zone": "Europe/Berlin",
        "parameters": '{"gateway_url": "http://gw:8088", "retries": 2}',
        "enabled": "on",
        "skip_if_running": "on",
        **values,
    }


def urls(pk):
    return [f"/schedules/{pk}/edit/", f"/schedules/{pk}/delete/", f"/schedules/{pk}/toggle/"]


@time_machine.travel("2026-03-27 12:00Z", tick=False)
def test_list_shows_the_teams_schedules(client, team, operator, viewer, book):
    schedule = make_schedule(book, operator, time_zone="America/Chicago", time_of_day="14:30")
    execution = schedule_launch(schedule.pk)
    Schedule.objects.filter(pk=schedule.pk).update(last_error="Playbook 'x' is disabled.")

    body = logged_in(client, viewer).get("/schedules/").content.decode()

    assert "Nightly" in body
    assert "Daily at 14:30" in body
    assert "America/Chicago" in body
    assert "Fri 2026-03-27 14:30 CDT" in body  # the next run, in the schedule's own zone
    assert f'href="/executions/{execution.pk}/"' in body
    assert "2026-03-27 07:00 CDT" in body  # the last run, in the zone too
    assert "Playbook &#x27;x&#x27; is disabled." in body
    assert "Add schedule" not in body
    assert "/toggle/" not in body


def test_other_teams_schedules_are_not_listed(client, other_team, outsider, team, operator, book):
    make_schedule(book, operator, name="Ours")

    body = logged_in(client, outsider).get("/schedules/").content.decode()

    assert "Ours" not in body
    assert "No schedules yet." in body


def test_list_query_count_does_not_grow(client, team, operator, book):
    client = logged_in(client, operator)
    for number in range(2):
        schedule_launch(make_schedule(book, operator, name=f"few-{number}").pk)
    with CaptureQueriesContext(connection) as few:
        client.get("/schedules/")
    for number in range(6):
        make_schedule(book, operator, name=f"many-{number}", kind="interval", interval_minutes=5)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/schedules/")

    assert response.content.decode().count('<tr id="schedule-') == 8
    assert len(many) == len(few)


def test_access_triad(client, team, operator, outsider, book):
    schedule = make_schedule(book, operator)
    for url in ["/schedules/", "/schedules/new/", *urls(schedule.pk)]:
        assert client.get(url).status_code == 302, url
        assert client.post(url).status_code == 302, url
    client = logged_in(client, outsider)
    for url in urls(schedule.pk):
        assert client.post(url, form_data(book)).status_code == 404, url
        assert client.get(url).status_code in (404, 405), url
    schedule.refresh_from_db()
    assert (schedule.name, schedule.enabled) == ("Nightly", True)
    assert Schedule.objects.count() == PeriodicTask.objects.count() == 1


def test_add_a_schedule(client, team, operator, book):
    response = logged_in(client, operator).post("/schedules/new/", form_data(book), **HTMX)

    schedule = Schedule.objects.get()
    assert (response.status_code, response["HX-Redirect"]) == (204, "/schedules/")
    assert (schedule.kind, schedule.days_of_week, schedule.time_zone) == (
        "weekly",
        ["mon", "fri"],
        "Europe/Berlin",
    )
    assert (schedule.interval_minutes, schedule.created_by) == (None, operator)
    assert schedule.parameters == {"gateway_url": "http://gw:8088", "retries": 2}
    assert PeriodicTask.objects.get().crontab.day_of_week == "mon,fri"


@pytest.mark.parametrize(
    ("_case", "change", "field_error"),
    [
        ("cron", {"kind": "cron", "cron_expression": "0 6 * *"}, "has 5 fields"),
        ("zone", {"time_zone": "Berlin"}, "&#x27;Berlin&#x27; is not a known IANA time zone"),
        ("json", {"parameters": "{retries: 2}"}, "This is not valid JSON: Expecting property"),
        ("object", {"parameters": "[1]"}, "Write a JSON object"),
        ("parameter", {"parameters": '{"retries": "x"}'}, "&#x27;gateway_url&#x27; is required"),
        ("days", {"days_of_week": []}, "Choose at least one day"),
    ],
)
def test_invalid_input_is_shown_on_its_field(
    client, team, operator, book, _case, change, field_error
):
    response = logged_in(client, operator).post(
        "/schedules/new/", form_data(book, **change), **HTMX
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert field_error in body
    assert 'class="field-error"' in body
    assert "<html" not in body
    assert Schedule.objects.count() == PeriodicTask.objects.count() == 0


def test_viewers_cannot_add_change_or_delete(client, team, operator, viewer, book):
    schedule = make_schedule(book, operator)
    client = logged_in(client, viewer)

    created = client.post("/schedules/new/", form_data(book))
    edited = client.post(f"/schedules/{schedule.pk}/edit/", form_data(book, name="Renamed"))
    toggled = client.post(f"/schedules/{schedule.pk}/toggle/")
    deleted = client.post(f"/schedules/{schedule.pk}/delete/")

    assert [r.status_code for r in (created, edited, toggled, deleted)] == [403] * 4
    schedule.refresh_from_db()
    assert (schedule.name, schedule.enabled, Schedule.objects.count()) == ("Nightly", True, 1)


def test_edit_a_schedule(client, team, operator, book):
    schedule = make_schedule(book, operator, parameters={"gateway_url": "http://gw"})
    client = logged_in(client, operator)
    url = f"/schedules/{schedule.pk}/edit/"

    fragment = client.get(url, **HTMX).content.decode()
    page = client.get(url).content.decode()
    invalid = client.post(url, form_data(book, kind="interval", interval_minutes="0"), **HTMX)
    saved = client.post(url, form_data(book, kind="monthly", day_of_month="3", name="Monthly"))

    assert 'value="Nightly"' in fragment
    assert 'value="06:30"' in fragment
    assert "&quot;gateway_url&quot;: &quot;http://gw&quot;" in fragment
    assert f'id="schedule-{schedule.pk}-id_name"' in fragment
    assert "<html" not in fragment
    assert "<html" in page
    assert invalid.status_code == 422
    assert "Ensure this value is greater than or equal to 1." in invalid.content.decode()
    assert (saved.status_code, saved["Location"]) == (302, "/schedules/")
    schedule.refresh_from_db()
    assert (schedule.name, schedule.kind, schedule.day_of_month) == ("Monthly", "monthly", 3)
    assert PeriodicTask.objects.get().crontab.day_of_month == "3"


def test_a_refused_edit_keeps_the_schedule(client, team, operator, book):
    schedule = make_schedule(book, operator)
    make_schedule(book, operator, name="Taken")

    response = logged_in(client, operator).post(
        f"/schedules/{schedule.pk}/edit/", form_data(book, name="Taken"), **HTMX
    )

    assert response.status_code == 422
    assert (
        "A schedule named &#x27;Taken&#x27; already exists in Line 1." in response.content.decode()
    )
    schedule.refresh_from_db()
    assert schedule.name == "Nightly"


def test_delete_asks_first(client, team, operator, book):
    schedule = make_schedule(book, operator)
    client = logged_in(client, operator)
    url = f"/schedules/{schedule.pk}/delete/"

    question = client.get(url, **HTMX).content.decode()
    page = client.get(url).content.decode()
    response = client.post(url, **HTMX)

    assert "Delete Nightly?" in question
    assert "data-dialog-close" in question
    assert 'href="/schedules/">Cancel' in page
    assert (response.status_code, response["HX-Redirect"]) == (204, "/schedules/")
    assert Schedule.objects.count() == PeriodicTask.objects.count() == 0


def test_the_switch_turns_a_schedule_off_and_on(client, team, operator, book):
    schedule = make_schedule(book, operator)
    client = logged_in(client, operator)
    url = f"/schedules/{schedule.pk}/toggle/"

    off = client.post(url, **HTMX)
    on = client.post(url, {"enabled": "on"}, follow=True)

    assert off.status_code == 200
    assert off.content.decode().strip().startswith(f'<tr id="schedule-{schedule.pk}">')
    assert 'name="enabled" checked' not in off.content.decode()
    assert on.redirect_chain == [("/schedules/", 302)]
    assert "Enabled schedule Nightly." in on.content.decode()
    assert PeriodicTask.objects.get().enabled is True


def test_admins_pick_from_every_team_and_a_gateway_fills_parameters(
    client, team, other_team, admin_user, book
):
    gateway = GatewayFactory(team=team, name="Line 1 gw", base_url="http://plant:8088")
    client = logged_in(client, admin_user)

    page = client.get("/schedules/").content.decode()
    response = client.post(
        "/schedules/new/", form_data(book, parameters="  ", gateway=gateway.pk), **HTMX
    )

    assert "Nightly check (Line 1)" in page
    assert "Line 1 gw (Line 1)" in page
    assert response.status_code == 204
    assert Schedule.objects.get().parameters == {}
