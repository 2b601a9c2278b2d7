"""Answers no simulator gives: odd bodies from a plain server, session expiry on downloads."""

import httpx
import pytest

from apps.gateways.client import GatewayClient, GatewayError, content
from apps.gateways.client.auth import idp_call
from apps.gateways.client.errors import gateway_message
from tests.gateways.client.plain import PlainServer
from tests.gateways.client.sim import TOKEN


@pytest.fixture
def plain():
    servers = []

    def serve(body: bytes, content_type: str = "application/json") -> PlainServer:
        server = PlainServer(body=body, content_type=content_type)
        servers.append(server)
        return server

    yield serve
    for server in servers:
        server.stop()


def test_a_failed_module_state_ends_the_wait_at_once(plain):
    server = plain(b'{"items": [{"id": "x", "name": "Broken", "state": "FAULTED"}]}')

    with pytest.raises(GatewayError, match="Module 'Broken' is in state FAULTED") as caught:
        content.wait_for_module(GatewayClient(server.url, version="8.3"), "Broken", 10)

    assert caught.value.retryable is False


def test_an_idp_answer_without_a_token_is_an_error(plain):
    server = plain(b'{"complete": false}')

    with pytest.raises(GatewayError, match="answered without a login token"):
        idp_call(GatewayClient(server.url).http, "next-challenge", {"token": "t"})


def test_a_json_error_without_a_message_shows_the_body():
    response = httpx.Response(500, json={"success": False, "problem": None})

    assert gateway_message(response) == '{"success":false,"problem":null}'


def test_a_download_logs_in_again_when_the_session_expired(sim, tmp_path):
    client = GatewayClient(sim.url, username="admin", password="password")
    client.api("GET", "gateway-info")
    client.http.clear_cookies()

    client.download("backup", tmp_path / "b.gwbk")

    assert (tmp_path / "b.gwbk").stat().st_size > 0


def test_a_download_with_a_bad_token_fails(sim, tmp_path):
    with pytest.raises(GatewayError, match="HTTP 401"):
        GatewayClient(sim.url, token="simulator:bad").download("backup", tmp_path / "b")


def test_logout_of_a_token_client_forgets_the_token(sim):
    client = GatewayClient(sim.url, token=TOKEN)

    client.logout()

    assert (client.mode, client.token) == ("none", None)
