"""Fixtures of the notification tests: a real HTTP server that receives webhooks, and
destinations and rules made through the services."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apps.notifications.services import destination_create, rule_create
from toolkit_project.celery import app as celery_app

HOOK_SECRET = "hook-secret-5f2b9c1e7a"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class WebhookServer:
    """A local HTTP server: answers each POST with the next status of ``answers`` (then 200)."""

    url: str
    received: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def webhook_server():
    state = WebhookServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.received.append(Received(self.path, dict(self.headers), body))
            code = state.answers.pop(0) if state.answers else 200
            self.send_response(code)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
            state.arrived.set()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/portal"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def hook(team, editor, webhook_server):
    return destination_create(
        team=team,
        actor=editor,
        name="Plant chat",
        channel="webhook",
        url=webhook_server.url,
        secret=HOOK_SECRET,
    )


@pytest.fixture
def mailbox(team, editor):
    return destination_create(
        team=team,
        actor=editor,
        name="Controls team",
        channel="email",
        recipients=["controls@plant.example", "night-shift@plant.example"],
    )


@pytest.fixture
def make_rule(team, editor):
    def make(*destinations, **values):
        values.setdefault("name", f"rule-{len(values)}-{id(destinations)}")
        return rule_create(team=team, actor=editor, destinations=list(destinations), **values)

    return make


@pytest.fixture
def eager_tasks():
    """Tasks sent by the task under test run here at once (the worker test covers the broker)."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False
