import pytest
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from toolkit_project.asgi import application

# serialized_rollback keeps the role groups the migrations created for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def communicator(user, origin=b"http://testserver"):
    comm = WebsocketCommunicator(application, "/ws/health/", headers=[(b"origin", origin)])
    comm.scope["user"] = user
    return comm


async def test_anonymous_sockets_are_refused():
    comm = communicator(AnonymousUser())

    connected, code = await comm.connect()

    assert connected is False
    await comm.disconnect()


async def test_foreign_origins_are_refused(editor):
    comm = communicator(editor, origin=b"http://evil.example")

    connected, _ = await comm.connect()

    assert connected is False
    await comm.disconnect()


async def test_users_get_health_on_connect_and_on_refresh(editor):
    comm = communicator(editor)

    connected, _ = await comm.connect()
    first = await comm.receive_json_from(timeout=10)
    await comm.send_json_to({"type": "refresh"})
    second = await comm.receive_json_from(timeout=10)
    await comm.send_json_to({"type": "unknown"})

    assert connected is True
    for message in (first, second):
        assert message["type"] == "health.status"
        assert [c["name"] for c in message["components"]] == ["database", "redis", "workers"]
    assert await comm.receive_nothing(timeout=0.3) is True
    await comm.disconnect()
