"""Tag export/import against recorded gateway answers (plain stub server) and the simulator."""

import json

import pytest

from apps.gateways.client import GatewayClient, GatewayError, GatewayUnsupportedError, content
from tests.gateways.client.sim import TOKEN
from tests.gateways.client.stub import Answer, StubGateway

IMPORT = "/data/api/v1/tags/import"
EXPORT = "/data/api/v1/tags/export"
FAILURES = {
    "successCount": 1,
    "failureCount": 2,
    "failures": [
        {"path": "[default]Status", "message": "A tag named 'Status' already exists."},
        "[default]Line1",
    ],
}


@pytest.fixture
def stub():
    servers = []

    def start(routes):
        servers.append(StubGateway(routes))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def test_an_import_is_sent_as_octet_stream(stub):
    gateway = stub({("POST", IMPORT): Answer(body={"successCount": 1, "failureCount": 0})})

    content.import_tags(GatewayClient(gateway.url, version="8.3"), b"{}", {"type": "json"})

    assert gateway.calls[-1].headers["content-type"] == "application/octet-stream"


def test_failures_in_a_200_answer_fail_the_import_naming_them(stub):
    gateway = stub({("POST", IMPORT): Answer(body=FAILURES)})

    with pytest.raises(GatewayError) as caught:
        content.import_tags(GatewayClient(gateway.url, version="8.3"), b"{}", {"type": "json"})

    assert caught.value.message.startswith("The gateway imported 1 tag(s) and refused 2:")
    assert "[default]Status: A tag named 'Status' already exists." in caught.value.message
    assert "[default]Line1" in caught.value.message
    assert caught.value.retryable is False


@pytest.mark.parametrize(
    "call",
    [
        lambda c: content.import_tags(c, b"{}", {"type": "json"}),
        lambda c: content.export_tags(c, {"provider": "default"}),
    ],
)
def test_a_gateway_without_the_tag_api_is_named_with_its_version(stub, call):
    gateway = stub({("GET", "/system/gwinfo"): Answer(body="Version=8.3.0;", content_type="text")})

    with pytest.raises(GatewayUnsupportedError) as caught:
        call(GatewayClient(gateway.url, version="8.3"))

    assert "Ignition 8.3.0 has no tag export/import API" in caught.value.message
    assert caught.value.retryable is False


def test_the_simulator_830_profile_is_refused_the_same_way(sim_factory):
    sim = sim_factory(version="8.3.0")

    with pytest.raises(GatewayUnsupportedError, match="Ignition 8.3.0 has no tag"):
        content.export_tags(GatewayClient(sim.url, token=TOKEN), {"provider": "default"})


def test_a_path_export_is_the_node_itself(sim_factory):
    sim = sim_factory(version="8.3.9")
    client = GatewayClient(sim.url, token=TOKEN)

    node = json.loads(content.export_tags(client, {"provider": "default", "path": "Line1"}))

    assert node["name"] == "Line1"
