"""The batch page and its rows fragment, and ``ws/batches/<id>/`` against the real ASGI
application and the Redis channel layer."""

import uuid

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from apps.executions.batch_events import batch_notify
from apps.executions.events import EventType, event_message, event_record
from apps.executions.models import Execution
from apps.executions.services.batches import batch_start
from apps.executions.services.lifecycle import step_update
from tests.batches.helpers import batch_playbook, tagged_gateways
from toolkit_project.asgi import application

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
URLS = {"gw-a": "http://127.0.0.1:9001", "gw-b": "http://127.0.0.1:9002"}


def start_batch(team, operator):
    return batch_start(
        batch_playbook(team), actor=operator, gateways=tagged_gateways(team, URLS), concurrency=1
    )


def test_the_page_shows_a_row_per_gateway_with_links_and_controls(client, team, operator):
    batch = start_batch(team, operator)
    run = Execution.objects.get(batch=batch, gateway__name="gw-a")
    client.force_login(operator)

    page = client.get(f"/executions/batches/{batch.pk}/")
    rows = client.get(f"/executions/batches/{batch.pk}/rows/")

    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-gateway="gw-') == 2
    assert f'href="/executions/{run.pk}/"' in html
    assert 'id="batch-cancel"' in html
    assert 'id="batch-retry"' in html
    assert f"/api/v1/batches/{batch.pk}/report.junit.xml" in html
    assert rows.status_code == 200
    assert rows.content.decode().count("View run") == 2


def test_viewers_see_the_page_without_controls_and_outsiders_get_404(
    client, team, operator, viewer, outsider
):
    batch = start_batch(team, operator)

    client.force_login(viewer)
    assert (
        'id="batch-cancel"' not in client.get(f"/executions/batches/{batch.pk}/").content.decode()
    )
    client.force_login(outsider)
    assert client.get(f"/executions/batches/{batch.pk}/").status_code == 404
    assert client.get(f"/executions/batches/{batch.pk}/rows/").status_code == 404


def communicator(user, path):
    comm = WebsocketCommunicator(application, path, headers=[(b"origin", b"http://testserver")])
    comm.scope["user"] = user
    return comm


async def test_the_socket_sends_a_snapshot_then_its_runs_events_and_the_batch_status(
    team, operator, viewer
):
    batch = await database_sync_to_async(start_batch)(team, operator)
    run = await database_sync_to_async(Execution.objects.get)(batch=batch, gateway__name="gw-b")
    comm = communicator(viewer, f"/ws/batches/{batch.pk}/")
    assert (await comm.connect())[0] is True

    snapshot = await comm.receive_json_from(timeout=5)
    step = await database_sync_to_async(run.steps.get)(step_id="ping")
    await database_sync_to_async(step_update)(step, status="running")
    stepped = await comm.receive_json_from(timeout=5)
    status = await database_sync_to_async(
        lambda: event_message(event_record(run.pk, EventType.STATUS, {"status": "running"}))
    )()
    assert await comm.receive_json_from(timeout=5) == status
    await database_sync_to_async(batch_notify)(batch.pk, "completed")

    assert snapshot["type"] == "snapshot"
    assert [(row["gateway"], row["status"]) for row in snapshot["runs"]] == [
        ("gw-a", "queued"),
        ("gw-b", "queued"),
    ]
    assert (stepped["execution_id"], stepped["type"]) == (str(run.pk), "step.status")
    assert stepped["payload"]["name"] == "Ping"
    assert await comm.receive_json_from(timeout=5) == {
        "type": "batch.status",
        "batch_id": str(batch.pk),
        "status": "completed",
    }
    await comm.disconnect()


async def test_the_socket_refuses_anonymous_users_outsiders_and_unknown_batches(
    team, operator, outsider
):
    batch = await database_sync_to_async(start_batch)(team, operator)

    for user, batch_id in (
        (AnonymousUser(), batch.pk),
        (outsider, batch.pk),
        (operator, uuid.uuid4()),
    ):
        comm = communicator(user, f"/ws/batches/{batch_id}/")
        assert (await comm.connect())[0] is False
        await comm.disconnect()
