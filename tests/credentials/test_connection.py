import pytest

from apps.accounts.models import AuditEntry
from apps.core.errors import ApplicationError
from apps.core.gateway_probe import GATEWAY_INFO_PATH
from apps.credentials.services import credential_test_connection
from tests.credentials.factories import CredentialFactory
from tests.gateways.factories import GatewayFactory
from tests.gateways.fixtures import Route

pytestmark = pytest.mark.django_db


def test_password_credentials_check_reachability(fake_gateway, credential, operator):
    GatewayFactory(team=credential.team, base_url=fake_gateway.url)

    result = credential_test_connection(credential, actor=operator, gateway_url=fake_gateway.url)

    assert result.ok is True
    assert result.message.endswith("The password itself is checked when a playbook logs in.")
    assert AuditEntry.objects.count() == 0


def test_api_tokens_are_sent_to_gateway_info(fake_gateway, team, editor):
    token = CredentialFactory(
        team=team, kind="api_token", secret="toolkit:tok", gateway_url=fake_gateway.url
    )
    fake_gateway.routes[GATEWAY_INFO_PATH] = Route(body={"name": "gw", "ignitionVersion": "8.3"})

    result = credential_test_connection(token, actor=editor)

    assert result.ok is True
    assert fake_gateway.requests[-1][1]["X-Ignition-API-Token"] == "toolkit:tok"
    assert AuditEntry.objects.get().details == {"purpose": "test connection"}


def test_an_unreachable_gateway_stops_before_the_token(closed_port_url, team, editor):
    token = CredentialFactory(team=team, kind="api_token", gateway_url=closed_port_url)

    result = credential_test_connection(token, actor=editor)

    assert result.ok is False
    assert AuditEntry.objects.count() == 0


def test_without_a_url_nothing_is_tested(credential, editor):
    with pytest.raises(ApplicationError, match="has no gateway URL: give one to test against."):
        credential_test_connection(credential, actor=editor)


def test_ai_keys_cannot_be_tested(team, editor):
    key = CredentialFactory(team=team, kind="ai_api_key", username="")

    with pytest.raises(ApplicationError, match="An AI API key has no gateway"):
        credential_test_connection(key, actor=editor, gateway_url="http://x")
