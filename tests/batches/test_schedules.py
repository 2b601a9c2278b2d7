"""Schedules that target a gateway tag: each trigger launches a batch over the gateways
tagged at that moment."""

import pytest
from rest_framework.test import APIClient

from apps.executions.models import Batch, BatchStatus, Execution
from apps.schedules.services import ScheduleInvalidError, schedule_launch
from tests.batches.helpers import runs_by_gateway, tagged_gateways, wait_for_batch
from tests.gateways.factories import GatewayFactory
from tests.schedules.factories import make_schedule, scheduled_playbook

pytestmark = pytest.mark.django_db
URLS = {"gw-a": "http://plant-a1:8088", "gw-b": "http://plant-a2:8088", "gw-c": "http://a3:8088"}


@pytest.fixture
def fleet(team):
    return tagged_gateways(team, URLS)


def test_a_tag_schedule_launches_a_batch_with_each_gateways_own_values(
    team, operator, fleet, django_capture_on_commit_callbacks
):
    schedule = make_schedule(
        scheduled_playbook(team), operator, parameters={"retries": 3}, gateway_tag=" plant-a "
    )

    with django_capture_on_commit_callbacks():
        batch = schedule_launch(schedule.pk)

    schedule.refresh_from_db()
    assert isinstance(batch, Batch)
    assert (schedule.gateway_tag, schedule.last_batch, schedule.last_execution) == (
        "plant-a",
        batch,
        None,
    )
    assert (batch.gateway_tag, batch.requested_by) == ("plant-a", operator)
    runs = Execution.objects.filter(batch=batch).order_by("gateway__name")
    assert [(run.parameters["gateway_url"], run.parameters["retries"]) for run in runs] == [
        (url, 3) for url in URLS.values()
    ]


def test_a_trigger_while_the_last_batch_runs_is_skipped(
    team, operator, fleet, django_capture_on_commit_callbacks
):
    schedule = make_schedule(
        scheduled_playbook(team), operator, gateway_tag="plant-a", parameters={}
    )
    with django_capture_on_commit_callbacks():
        first = schedule_launch(schedule.pk)

    assert schedule_launch(schedule.pk) is None

    schedule.refresh_from_db()
    assert schedule.last_skip_reason == (
        f"The previous batch {first.pk} was still running; this launch was skipped."
    )
    assert Batch.objects.count() == 1


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"gateway_tag": "plant-z"}, "No gateway of team Line 1 is tagged 'plant-z'."),
        ({"gateway_tag": "plant-a", "gateway": "gw"}, "Give a gateway or a gateway tag, not both."),
    ],
)
def test_a_tag_no_gateway_has_or_a_gateway_and_a_tag_are_refused(
    team, operator, fleet, values, problem
):
    if values.get("gateway"):
        values["gateway"] = GatewayFactory(team=team, name="single")

    with pytest.raises(ScheduleInvalidError) as excinfo:
        make_schedule(scheduled_playbook(team), operator, parameters={}, **values)

    assert excinfo.value.errors == {"gateway_tag": [problem]}


def test_the_tags_gateways_are_read_at_each_trigger(
    team, operator, fleet, django_capture_on_commit_callbacks
):
    schedule = make_schedule(
        scheduled_playbook(team), operator, gateway_tag="plant-a", parameters={}
    )
    fleet[0].tags = []
    fleet[0].save()
    for gateway in fleet[1:]:
        gateway.delete()

    with django_capture_on_commit_callbacks():
        assert schedule_launch(schedule.pk) is None

    schedule.refresh_from_db()
    assert schedule.last_error == "No gateway of team Line 1 is tagged 'plant-a'."


def test_the_api_saves_and_shows_a_tag_schedule(team, operator, fleet):
    api = APIClient()
    api.force_authenticate(operator)
    body = {
        "name": "Nightly backup of plant A",
        "playbook": scheduled_playbook(team).pk,
        "kind": "daily",
        "time_of_day": "02:00",
        "gateway_tag": "plant-a",
    }

    created = api.post("/api/v1/schedules/", body, format="json")
    both = api.post(
        "/api/v1/schedules/", {**body, "name": "x", "gateway": fleet[0].pk}, format="json"
    )

    assert created.status_code == 201, created.json()
    assert (created.json()["gateway_tag"], created.json()["gateway"]) == ("plant-a", None)
    assert both.status_code == 400
    assert "Give a gateway or a gateway tag, not both." in both.json()["detail"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_scheduled_batch_runs_once_on_each_tagged_gateway(
    team, operator, fleet, celery_worker_running
):
    schedule = make_schedule(
        scheduled_playbook(team), operator, gateway_tag="plant-a", parameters={}
    )

    batch = schedule_launch(schedule.pk)
    finished = wait_for_batch(batch)

    assert finished.status == BatchStatus.COMPLETED
    assert runs_by_gateway(batch) == {name: ["completed"] for name in URLS}
