"""The API as a client sees it: the WSGI application, its schema read from /api/v1/schema/
with a token, and one object of each kind in the signed-in user's team."""

import httpx
import pytest
from django.core.servers import basehttp
from rest_framework.authtoken.models import Token

from apps.executions.services.batches import batch_start
from apps.executions.services.launch import execution_start
from apps.gateways import probe
from tests.accounts.factories import UserFactory
from tests.credentials.factories import CredentialFactory
from tests.gateways.factories import GatewayFactory
from tests.playbooks.factories import PlaybookFactory, PresetFactory
from tests.schedules.factories import ScheduleFactory


@pytest.fixture
def api_objects(team, editor):
    """One object of each kind in the editor's team, optional fields left empty."""
    editor.email = ""
    editor.save(update_fields=["email"])
    launcher = UserFactory(username="lena-launcher", roles=["operator"], teams=[team])
    playbook = PlaybookFactory(team=team)
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
    }


@pytest.fixture
def api_token():
    def token_for(user) -> str:
        return Token.objects.get_or_create(user=user)[0].key

    return token_for


@pytest.fixture
def gateways_unreachable(monkeypatch):
    """Generated gateway URLs name any host: probes fail at once instead of reaching out."""

    def refuse(url, **_options):
        raise httpx.ConnectError(f"no network in this test ({url})")

    monkeypatch.setattr(probe.httpx, "get", refuse)


@pytest.fixture
def prompt_live_server(live_server, monkeypatch):
    """The live server with Nagle's algorithm off: on a kept-alive connection a small answer
    otherwise waits for the client's delayed ACK, some 40 ms a request."""
    monkeypatch.setattr(basehttp.WSGIRequestHandler, "disable_nagle_algorithm", True)
    return live_server
