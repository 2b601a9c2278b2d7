"""The client reads every recorded fact correctly, served by a plain stub server."""

import json

import pytest

from apps.gateways.client import (
    GatewayAuthError,
    GatewayClient,
    GatewayError,
    GatewayUnsupportedError,
    content,
)
from apps.gateways.client import modules as gateway_modules
from apps.gateways.client import operations as ops
from tests.gateways.client.stub import Answer, StubGateway

from .facts import facts

MOD = "com.example.demo"


def answer(name: str) -> Answer:
    response = facts()[name]["response"]
    kind = response.get("content_type", "application/json")
    return Answer(response["status"], response.get("body", b""), kind)


def route(name: str) -> tuple[str, str]:
    request = facts()[name]["request"]
    return request["method"], request["path"]


def serve(*names: str, extra: dict | None = None) -> StubGateway:
    version = facts()[names[0]]["version"]
    gwinfo = Answer(body=f"ContextStatus=RUNNING;Version={version};", content_type="text/plain")
    generate = Answer(body={"state": "Generating"})
    routes = {
        ("GET", "/system/gwinfo"): gwinfo,
        ("POST", "/data/api/v1/diagnostics/bundle/generate"): generate,
        **(extra or {}),
    }
    routes.update({route(name): answer(name) for name in names})
    return StubGateway(routes)


def client(server, **kwargs) -> GatewayClient:
    return GatewayClient(server.url, **({"token": "ci:secret"} | kwargs))


def bundle(c):
    return ops.diagnostics_bundle(c, c.target, timeout=5)


def quarantine(c):
    with pytest.raises(GatewayError, match=f"The gateway quarantined module {MOD}"):
        content.install_module(c, b"not read", "demo.modl")
    return True


CHECKS = {
    "status_ping_running": (lambda c: c.status_ping()["state"], "RUNNING"),
    "gwinfo_839": (lambda c: c.gwinfo()["Version"], "8.3.9"),
    "gateway_info_839": (
        lambda c: c.api_json("GET", "gateway-info")["ignitionVersion"],
        "8.3.9 (b2026082511)",
    ),
    "overview_839": (lambda c: c.api_json("GET", "overview")["processId"], 1234),
    "modules_healthy_by_id_839": (
        lambda c: content.list_modules(c, "com.inductiveautomation.opcua")[0]["name"],
        "OPC-UA",
    ),
    "modules_quarantined_empty_839": (lambda c: gateway_modules.quarantined(c, MOD), False),
    "restart": (lambda c: ops.restart(c, wait=False, timeout=1), {"status": "restarting"}),
    "restart_pending_strings": (
        lambda c: c.api_json("GET", "restart-tasks/pending")["pending"],
        ["com.example.demo"],
    ),
    "trial_status": (lambda c: ops.trial_status(c)["expired"], False),
    "project_import_ack": (
        lambda c: content.import_project(c, "Copy", b"PK", overwrite=False, timeout=5)["success"],
        True,
    ),
    "tags_export_path_839": (
        lambda c: json.loads(content.export_tags(c, {"path": "Line1"}))["name"],
        "Line1",
    ),
    "logs_envelope": (lambda c: len(content.list_all(c, "logs")), 1),
    "certificate_already_accepted": (
        lambda c: c.api("POST", "modules/certificate", expected=(200, 409)).status_code,
        409,
    ),
}
FAILS = {
    "anonymous_403_839": (
        lambda c: GatewayClient(c.base_url).api("GET", "/openapi.json"),
        GatewayAuthError,
        "no valid login",
    ),
    "project_missing_404": (
        lambda c: content.get_project(c, "Nope"),
        GatewayError,
        "Project 'Nope' does not exist",
    ),
    "tags_import_collision_839": (
        lambda c: content.import_tags(c, b"{}", {}),
        GatewayError,
        "refused 1",
    ),
    "tags_absent_830": (
        lambda c: content.import_tags(c, b"{}", {}),
        GatewayUnsupportedError,
        "Ignition 8.3.0 has no tag",
    ),
    "diagnostics_status_invalid": (
        lambda c: ops.diagnostics_bundle(c, c.target, timeout=0),
        GatewayError,
        "state: Invalid",
    ),
    "resource_put_stale_500": (
        lambda c: c.api("PUT", "resources/ignition/security-properties", json=[]),
        GatewayError,
        "HTTP 500",
    ),
}
# Facts read together by one client operation.
SCENARIOS = {
    "modules_upload_unsigned": (("modules_upload_unsigned", "modules_install_success"), quarantine),
    "modules_install_success": (("modules_install_success", "modules_upload_unsigned"), quarantine),
    "diagnostics_status_valid": (("diagnostics_status_valid",), bundle),
}


@pytest.fixture
def served(tmp_path):
    servers = []

    def start(*names, extra=None):
        servers.append(serve(*names, extra=extra))
        c = client(servers[-1])
        c.target = tmp_path / "download.bin"
        return c

    yield start
    for server in servers:
        server.stop()


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_the_client_reads_the_recorded_answer(served, name):
    call, expected = CHECKS[name]

    assert call(served(name)) == expected


@pytest.mark.parametrize("name", sorted(FAILS))
def test_the_client_fails_clearly_on_the_recorded_answer(served, name):
    call, error, message = FAILS[name]

    with pytest.raises(error, match=message):
        call(served(name))


def test_a_bare_secret_is_refused_before_it_is_sent():
    assert facts()["bare_secret_403_830"]["response"]["status"] == 403
    with pytest.raises(GatewayAuthError, match="the whole 'name:secret' string"):
        GatewayClient("http://127.0.0.1:9", token="secret")


def test_an_unsigned_module_is_reported_as_quarantined(served):
    empty = facts()["modules_quarantined_empty_839"]["response"]["body"]
    listed = {
        **empty,
        "items": [{"id": MOD}],
        "metadata": {**empty["metadata"], "total": 1, "matching": 1},
    }
    extra = {("GET", "/data/api/v1/modules/quarantined"): Answer(body=listed)}

    assert quarantine(served("modules_upload_unsigned", "modules_install_success", extra=extra))


def test_a_valid_bundle_is_downloaded_and_its_size_checked(served):
    size = facts()["diagnostics_status_valid"]["response"]["body"]["fileSize"]
    api = "/data/api/v1/diagnostics/bundle"
    extra = {
        ("POST", f"{api}/generate"): Answer(body={"state": "Generating"}),
        ("GET", f"{api}/download"): Answer(body=b"x" * size, content_type="application/zip"),
    }
    c = served("diagnostics_status_valid", extra=extra)

    assert bundle(c) == {"state": "Valid", "size_bytes": size}
    extra[("GET", f"{api}/download")] = Answer(body=b"short", content_type="application/zip")
    with pytest.raises(GatewayError, match="has 5 bytes; the gateway announced 65536"):
        bundle(served("diagnostics_status_valid", extra=extra))


def test_every_fact_is_read_by_the_client():
    covered = {*CHECKS, *FAILS, *SCENARIOS, "bare_secret_403_830"}

    assert sorted(set(facts()) - covered) == []
