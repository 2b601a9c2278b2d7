"""A websocket to a path no consumer serves is refused at the handshake, not a server error."""

import logging

import pytest
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from toolkit_project.asgi import application

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("path", ["/ws/nowhere/", "/ws/executions/not-a-run/", "/elsewhere"])
@pytest.mark.parametrize("_case", ["signed in", "anonymous"])
async def test_unknown_paths_are_refused_cleanly(editor, caplog, path, _case):
    comm = WebsocketCommunicator(application, path, headers=[(b"origin", b"http://testserver")])
    comm.scope["user"] = editor if _case == "signed in" else AnonymousUser()

    with caplog.at_level(logging.WARNING):
        connected, _ = await comm.connect()

    assert connected is False
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    await comm.disconnect()
