"""The health websocket and probes tell worker names and host details to staff only."""

import pytest
from channels.testing import WebsocketCommunicator

from toolkit_project.asgi import application

# serialized_rollback keeps the role groups the migrations created for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


async def health_message(user) -> dict:
    comm = WebsocketCommunicator(
        application, "/ws/health/", headers=[(b"origin", b"http://testserver")]
    )
    comm.scope["user"] = user
    connected, _ = await comm.connect()
    assert connected is True
    message = await comm.receive_json_from(timeout=20)
    await comm.disconnect()
    return message


@pytest.fixture
def worker(celery_worker_running):
    return celery_worker_running.name


async def test_members_get_only_the_state_of_each_part(worker, editor, viewer):
    for user in (editor, viewer):
        message = await health_message(user)

        assert message["ok"] is True
        assert worker not in str(message)
        assert message["components"] == [
            {"name": "database", "ok": True, "message": "up"},
            {"name": "redis", "ok": True, "message": "up"},
            {"name": "workers", "ok": True, "message": "up"},
        ]


async def test_staff_get_worker_names_and_messages(worker, admin_user):
    message = await health_message(admin_user)

    workers = message["components"][2]
    assert message["ok"] is True
    assert workers["name"] == "workers"
    assert worker in workers["message"]
    assert "checked_at" in workers


def test_detailed_http_health_is_for_staff_only(client, editor, admin_user):
    client.force_login(editor)
    member = client.get("/health/detailed")
    client.force_login(admin_user)
    staff = client.get("/health/detailed")

    assert member.status_code == 403
    assert staff.status_code == 200
    assert [c["name"] for c in staff.json()["components"]] == ["database", "redis", "workers"]
