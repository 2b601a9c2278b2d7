"""The API as a client sees it: the WSGI application, its schema read from /api/v1/schema/
with a token, and one object of each kind in the signed-in user's team."""

import httpx
import pytest
from django.core.servers import basehttp
from rest_framework.authtoken.models import Token

from apps.core import gateway_probe as probe
from apps.executions.services.batches import batch_start
from apps.executions.services.launch import execution_start
from apps.notifications import sending
from apps.notifications.services import destination_create, rule_create
from tests.accounts.factories import UserFactory
from tests.credentials.factories import CredentialFactory
from tests.files.helpers import uploaded
from tests.gateways.factories import GatewayFactory
from tests.playbooks.factories import PlaybookFactory, PresetFactory
from tests.schedules.factories import ScheduleFactory


@pytest.fixture
def api_objects(team, editor, settings, tmp_path):
    """One object of each kind in the editor's team, optional fields left empty."""
    settings.ARTIFACTS_ROOT = tmp_path / "artifacts"
    editor.email = ""
    editor.save(update_fields=["email"])
    launcher = UserFactory(username="lena-launcher", roles=["operator"], teams=[team])
    playbook = PlaybookFactory(team=team)
    destination = destination_create(
        team=team, actor=editor, name="Controls", channel="email", recipients=["c@plant.example"]
    )
    gateway = GatewayFactory(team=team)
    return {
        "playbooks": playbook,
        "presets": PresetFactory(playbook=playbook),
        "credentials": CredentialFactory(team=team),
        "gateways": gateway,
        "schedules": ScheduleFactory(playbook=playbook),
        "executions": execution_start(playbook, actor=launcher),
        "batches": batch_start(playbook, actor=launcher, gateways=[gateway]),
        "teams": team,
        "notification-destinations": destination,
        "notification-rules": rule_create(
            team=team, actor=editor, name="Failures", destinations=[destination]
        ),
        "files": uploaded(team, editor).file,
    }


@pytest.fixture
def api_token():
    def token_for(user) -> str:
        return Token.objects.get_or_create(user=user)[0].key

    return token_for


@pytest.fixture
def gateways_unreachable(monkeypatch):
    """Generated gateway and webhook URLs name any host: probes and test messages fail at once
    instead of reaching out."""

    def refuse(url, **_options):
        raise httpx.ConnectError(f"no network in this test ({url})")

    monkeypatch.setattr(probe.httpx, "get", refuse)
    monkeypatch.setattr(sending.httpx, "post", refuse)


@pytest.fixture
def prompt_live_server(live_server, monkeypatch):
    """The live server with Nagle's algorithm off: on a kept-alive connection a small answer
    otherwise waits for the client's delayed ACK, some 40 ms a request."""
    monkeypatch.setattr(basehttp.WSGIRequestHandler, "disable_nagle_algorithm", True)
    return live_server
