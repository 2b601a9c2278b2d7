"""Logging in to a live simulator: 8.3 tokens and IdP sessions, 8.1 web login, failures."""

import httpx
import pytest

from apps.gateways.client import GatewayAuthError, GatewayClient, GatewayUnsupportedError
from apps.gateways.client.auth import idp_call
from apps.gateways.client.errors import AUTH_CAUSES
from tests.gateways.client.sim import TOKEN
from tests.gateways.client.stub import Answer, StubGateway


@pytest.mark.parametrize(("_case", "bearer"), [("header", False), ("bearer", True)])
def test_a_token_reads_gateway_info(sim, _case, bearer):
    client = GatewayClient(sim.url, token=TOKEN, bearer=bearer)

    info = client.api_json("GET", "gateway-info")

    assert info["ignitionVersion"] == "8.3.6 (b2026042713)"
    assert client.mode == "token"


def test_the_secret_alone_is_refused_before_any_call(sim):
    with pytest.raises(GatewayAuthError, match="whole 'name:secret' string"):
        GatewayClient(sim.url, token="simulator-secret")


@pytest.mark.parametrize(
    ("_case", "error_style", "reason"),
    [("json 8.3.8", "json", "Unauthorized"), ("jetty html 8.3.6", "html", "Unauthorized")],
)
def test_an_unknown_token_gives_401_with_the_gateways_message(
    sim_factory, _case, error_style, reason
):
    sim = sim_factory(error_style=error_style)
    client = GatewayClient(sim.url, token="simulator:wrong")

    with pytest.raises(GatewayAuthError) as caught:
        client.api("GET", "gateway-info")

    assert caught.value.status_code == 401
    assert caught.value.message == (
        f"GET /data/api/v1/gateway-info answered HTTP 401: {reason} ({AUTH_CAUSES})"
    )


def test_a_read_only_token_gets_403_on_a_mutation(sim_factory):
    tokens = [{"name": "ro", "secret": "ro-secret", "read": True, "write": False}]
    sim = sim_factory(tokens=tokens)
    client = GatewayClient(sim.url, token="ro:ro-secret")

    assert client.api_json("GET", "projects/names")["items"]
    with pytest.raises(GatewayAuthError, match=r"HTTP 403: Forbidden \(either no valid login"):
        client.api("POST", "scan/projects")


def test_no_credentials_give_401(sim):
    client = GatewayClient(sim.url)

    with pytest.raises(GatewayAuthError, match="HTTP 401"):
        client.api("GET", "gateway-info")
    assert client.mode == "none"


def test_web_login_opens_a_session_whose_mutations_carry_the_csrf_token(sim):
    client = GatewayClient(sim.url)

    assert client.login("admin", "password") == "session"
    client.api("POST", "scan/projects")

    assert client.csrf
    assert client.api_json("GET", "gateway-info")["name"] == "Ignition-simulator"


def test_a_mutation_without_csrf_is_refused_by_the_gateway(sim):
    client = GatewayClient(sim.url)
    client.login("admin", "password")
    client.csrf = ""

    with pytest.raises(GatewayAuthError, match="HTTP 403: Missing or invalid CSRF token"):
        client.api("POST", "scan/projects")


def test_credentials_log_in_lazily_and_again_when_the_session_is_gone(sim):
    client = GatewayClient(sim.url, username="admin", password="password")

    assert client.api_json("GET", "gateway-info")["edition"] == "standard"
    client.http.clear_cookies()  # the gateway forgot the session (e.g. after a restart)
    assert client.api_json("GET", "overview")["version"].startswith("8.3.6")
    assert client.session_open is True


def test_a_wrong_password_is_reported(sim):
    client = GatewayClient(sim.url)

    with pytest.raises(GatewayAuthError, match="login refused for user 'admin': wrong password"):
        client.login("admin", "nope")


def test_login_against_something_that_is_not_a_gateway_fails_clearly(fake_gateway):
    client = GatewayClient(fake_gateway.url, version="8.3")

    with pytest.raises(GatewayAuthError, match="web login failed: GET /data/app/login answered"):
        client.login("admin", "password")


def test_a_rejected_idp_token_is_reported(sim):
    client = GatewayClient(sim.url)

    with pytest.raises(GatewayAuthError) as caught:
        idp_call(client.http, "next-challenge", {"token": "never-issued"})

    assert caught.value.message == (
        "Gateway web login failed: POST /idp/default/authn/next-challenge answered HTTP 400: "
        "Invalid token"
    )


def test_logout_ends_the_session(sim):
    client = GatewayClient(sim.url)
    client.login("admin", "password")

    client.logout()

    assert (client.mode, client.session_open) == ("none", False)
    with pytest.raises(GatewayAuthError, match="HTTP 401"):
        client.api("GET", "gateway-info")


def test_81_web_login_and_logout(sim81):
    client = GatewayClient(sim81.url)

    client.login("admin", "password")
    page = client.http.request("GET", "/web/config/system.modules")
    client.logout()

    assert client.version == "8.1"
    assert page.status_code == 200
    assert 'class="module-name"' in page.text
    after = client.http.request("GET", "/web/config/system.modules")
    assert after.status_code == 302


def test_81_wrong_password_is_reported(sim81):
    client = GatewayClient(sim81.url)

    with pytest.raises(GatewayAuthError, match=r"refused for user 'admin' \(HTTP 401\)"):
        client.login("admin", "wrong")


def test_81_has_no_rest_api(sim81):
    client = GatewayClient(sim81.url, username="admin", password="password")

    with pytest.raises(GatewayUnsupportedError) as caught:
        client.api("GET", "gateway-info")

    assert caught.value.message == (
        "Ignition 8.1 has no REST API to call /data/api/v1/gateway-info; use the browser steps "
        "against its web UI (/web/...) instead."
    )
    assert caught.value.retryable is False


def test_paths_outside_the_rest_api_work_on_81(sim81):
    client = GatewayClient(sim81.url)

    assert client.api("GET", "/system/gwinfo").text.startswith("ContextStatus=RUNNING")
    assert isinstance(client.http.cookies, httpx.Cookies)


def test_a_403_for_a_lost_session_logs_in_again(sim_factory):
    sim = sim_factory(version="8.3.9")  # answers 403, not 401, without a valid session
    client = GatewayClient(sim.url, username="admin", password="password")
    client.api_json("GET", "gateway-info")
    sim.gateway.auth.sessions.clear()  # the gateway forgot the session (e.g. after a restart)

    assert client.api_json("GET", "overview")["version"].startswith("8.3.9")
    assert client.api("POST", "scan/projects").status_code == 200


def test_a_403_from_a_valid_session_is_not_a_reason_to_log_in_again(sim_factory):
    sim = sim_factory(version="8.3.9")
    client = GatewayClient(sim.url, username="admin", password="password")
    client.api_json("GET", "gateway-info")
    client.csrf = "stale"
    sessions = dict(sim.gateway.auth.sessions)

    with pytest.raises(GatewayAuthError, match="Missing or invalid CSRF token"):
        client.api("POST", "scan/projects")
    assert sim.gateway.auth.sessions == sessions


@pytest.mark.parametrize("status", [401, 403])
def test_an_auth_failure_names_both_causes(status):
    body = {"message": "Forbidden" if status == 403 else "Unauthorized", "status": str(status)}
    server = StubGateway({("GET", "/data/api/v1/gateway-info"): Answer(status, body)})
    try:
        with pytest.raises(GatewayAuthError) as caught:
            GatewayClient(server.url, token="ci:secret", version="8.3").api("GET", "gateway-info")
    finally:
        server.stop()

    assert f"answered HTTP {status}" in caught.value.message
    assert "no valid login" in caught.value.message
    assert "lacks the permission" in caught.value.message
