"""A credential is sent only where it belongs: test-connection by role and target URL.

Three real local HTTP listeners stand for the credential's own gateway, a gateway registered
in the team, and a stranger's host; each records every request it receives, so a refusal is
checked to have sent nothing at all.
"""

import threading

import pytest
from rest_framework.test import APIClient

from apps.accounts.models import AuditEntry
from apps.core.errors import NotFoundError, PermissionDeniedError
from apps.core.gateway_probe import GATEWAY_INFO_PATH
from apps.credentials.services import credential_test_connection
from tests.accounts.factories import UserFactory
from tests.credentials.factories import CredentialFactory
from tests.gateways.factories import GatewayFactory
from tests.gateways.fixtures import FakeGateway, Route

pytestmark = pytest.mark.django_db

TOKEN = "toolkit:sHaReD-t0ken-9f2c"  # noqa: S105 (a test value)
TARGETS = ("own", "registered", "foreign")


@pytest.fixture
def listeners():
    """Three gateways that accept the token; ``requests`` of each records what arrived."""
    started = {}
    for name in TARGETS:
        listener = FakeGateway()
        listener.routes[GATEWAY_INFO_PATH] = Route(body={"name": name, "ignitionVersion": "8.3"})
        threading.Thread(target=listener.server.serve_forever, daemon=True).start()
        started[name] = listener
    yield started
    for listener in started.values():
        listener.server.shutdown()
        listener.server.server_close()


@pytest.fixture
def token(team, editor, listeners):
    """The team's shared API token, whose own URL is the 'own' listener."""
    GatewayFactory(team=team, name="line1", base_url=listeners["registered"].url)
    return CredentialFactory(
        team=team,
        name="shared-token",
        kind="api_token",
        secret=TOKEN,
        gateway_url=listeners["own"].url,
        owner=editor,
        shared=True,
    )


def post(user, credential, body=None):
    client = APIClient()
    client.force_authenticate(user)
    url = f"/api/v1/credentials/{credential.pk}/test-connection/"
    return client.post(url, body or {}, format="json")


def body_for(target: str, listeners) -> dict:
    return {} if target == "own" else {"gateway_url": listeners[target].url}


def received(listeners) -> dict[str, int]:
    return {name: len(listener.requests) for name, listener in listeners.items()}


def tokens_sent(listeners) -> list[str]:
    return [
        headers.get("X-Ignition-API-Token")
        for listener in listeners.values()
        for _path, headers in listener.requests
        if "X-Ignition-API-Token" in headers
    ]


# Who may test against which URL ------------------------------------------------------------
ALLOWED = [
    ("operator", "own"),
    ("operator", "registered"),
    ("editor", "own"),
    ("editor", "registered"),
    ("editor", "foreign"),
    ("admin_user", "own"),
    ("admin_user", "registered"),
    ("admin_user", "foreign"),
]


@pytest.mark.parametrize(("persona", "target"), ALLOWED)
def test_runners_reach_the_credentials_own_and_registered_gateways(
    request, token, listeners, persona, target
):
    user = request.getfixturevalue(persona)

    response = post(user, token, body_for(target, listeners))

    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert response.json()["details"]["name"] == target
    assert received(listeners) == {name: 2 if name == target else 0 for name in TARGETS}
    assert tokens_sent(listeners) == [TOKEN]
    entry = AuditEntry.objects.get(action="credential.use")
    assert (entry.actor, entry.details) == (user, {"purpose": "test connection"})


@pytest.mark.parametrize("target", TARGETS)
def test_viewers_may_not_test_at_all_and_nothing_is_sent(token, listeners, viewer, target):
    response = post(viewer, token, body_for(target, listeners))

    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Only operators and editors of Line 1 may test credential 'shared-token'; "
        "viewers cannot make the portal use a credential."
    )
    assert received(listeners) == {"own": 0, "registered": 0, "foreign": 0}
    assert AuditEntry.objects.filter(action="credential.use").count() == 0


def test_operators_may_not_send_a_credential_to_another_url(token, listeners, operator):
    foreign = listeners["foreign"].url

    response = post(operator, token, {"gateway_url": foreign})

    assert response.status_code == 403
    assert response.json()["detail"] == (
        f"Credential 'shared-token' may be tested only against its own URL "
        f"({listeners['own'].url}) or a gateway registered in Line 1, not {foreign}. "
        "Register the gateway first, or ask an editor who may change the credential."
    )
    assert received(listeners) == {"own": 0, "registered": 0, "foreign": 0}
    assert AuditEntry.objects.filter(action="credential.use").count() == 0


@pytest.mark.parametrize("target", TARGETS)
def test_outsiders_do_not_find_the_credential(token, listeners, outsider, target):
    response = post(outsider, token, body_for(target, listeners))

    assert response.status_code == 404
    assert received(listeners) == {"own": 0, "registered": 0, "foreign": 0}


def test_anonymous_requests_are_refused(token, listeners):
    response = APIClient().post(f"/api/v1/credentials/{token.pk}/test-connection/", {})

    assert response.status_code in (401, 403)
    assert received(listeners) == {"own": 0, "registered": 0, "foreign": 0}


def test_another_editors_private_credential_is_not_found(team, listeners, editor):
    owner = UserFactory(username="pat-editor", roles=["editor", "operator"], teams=[team])
    private = CredentialFactory(
        team=team, kind="api_token", secret=TOKEN, owner=owner, shared=False,
        gateway_url=listeners["own"].url,
    )  # fmt: skip

    response = post(editor, private)

    assert response.status_code == 404
    assert received(listeners) == {"own": 0, "registered": 0, "foreign": 0}


def test_a_gateway_of_another_team_is_a_foreign_url(token, listeners, operator, other_team):
    GatewayFactory(team=other_team, name="theirs", base_url=listeners["foreign"].url)

    response = post(operator, token, {"gateway_url": listeners["foreign"].url})

    assert response.status_code == 403
    assert received(listeners) == {"own": 0, "registered": 0, "foreign": 0}


def test_the_service_refuses_before_any_request(token, listeners, viewer, outsider):
    with pytest.raises(PermissionDeniedError):
        credential_test_connection(token, actor=viewer)
    with pytest.raises(NotFoundError, match="Credential 'shared-token' does not exist or is not"):
        credential_test_connection(token, actor=outsider)

    assert received(listeners) == {"own": 0, "registered": 0, "foreign": 0}


# The credentials page ------------------------------------------------------------------------
def test_the_page_refuses_viewers_and_sends_nothing(client, token, listeners, viewer):
    client.force_login(viewer)

    response = client.post(f"/credentials/{token.pk}/test/", HTTP_HX_REQUEST="true")

    assert response.status_code == 403
    assert received(listeners) == {"own": 0, "registered": 0, "foreign": 0}


def test_the_page_tests_the_own_url_for_operators(client, token, listeners, operator):
    client.force_login(operator)

    response = client.post(f"/credentials/{token.pk}/test/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "The API token is accepted by gateway own" in response.content.decode()
    assert tokens_sent(listeners) == [TOKEN]


def test_the_page_offers_the_test_only_to_those_who_may_use_it(client, token, viewer, operator):
    client.force_login(viewer)
    as_viewer = client.get("/credentials/").content.decode()
    client.force_login(operator)
    as_operator = client.get("/credentials/").content.decode()

    assert "Test connection" not in as_viewer
    assert "Test connection" in as_operator
