"""Modules, projects and tags against live simulators; error messages of odd bodies."""

import json

import httpx
import pytest

from apps.gateways.client import GatewayClient, GatewayError, GatewayTimeoutError, content
from apps.gateways.client import operations as ops
from apps.gateways.client.errors import gateway_message
from tests.gateways.client.plain import PlainServer
from tests.gateways.client.sim import TOKEN
from tests.gateways.client.stub import Answer, StubGateway
from tests.simulator.helpers import build_modl


@pytest.fixture
def client(sim):
    return GatewayClient(sim.url, token=TOKEN)


def test_list_modules_reads_the_whole_list(client):
    modules = content.list_modules(client)

    assert {m["name"] for m in modules} >= {"Perspective", "OPC-UA", "Vision"}
    assert len(modules) == 32
    assert all(m["state"] == "ACTIVE" for m in modules)


def test_a_module_is_installed_and_runs_after_a_restart(client):
    result = content.install_module(client, build_modl(), "demo.modl")

    with pytest.raises(GatewayTimeoutError, match=r"INACTIVE, version 1.0.0\); a newly"):
        content.wait_for_module(client, "Demo Module", 0.2)
    ops.restart(client, wait=True, timeout=20)
    module = content.wait_for_module(client, "com.example.demo", 5)

    assert result == {
        "module_id": "com.example.demo",
        "version": "1.0.0",
        "restart_required": True,
    }
    assert (module["name"], module["state"]) == ("Demo Module", "ACTIVE")


def test_an_upgrade_waits_for_the_restart(client):
    content.install_module(client, build_modl(version="1.0.0"), "demo.modl")
    ops.restart(client, wait=True, timeout=20)
    content.install_module(client, build_modl(version="2.0.0"), "demo.modl")

    with pytest.raises(GatewayTimeoutError, match="upgrade waiting for a restart"):
        content.wait_for_module(client, "Demo Module", 0.2)


def test_waiting_for_a_module_that_never_appears_times_out(client):
    with pytest.raises(GatewayTimeoutError, match="last state: not installed"):
        content.wait_for_module(client, "Nope", 0.1)


def test_a_failed_module_state_fails_at_once():
    modules = [{"id": "x", "name": "Broken", "state": "FAULTED"}]

    assert content.find_module(modules, "broken") == modules[0]
    assert content.items({"items": modules}) == modules
    assert content.items(None) == []


def test_an_unsigned_module_is_quarantined_and_the_install_fails_saying_what_to_do(client):
    with pytest.raises(GatewayError) as caught:
        content.install_module(client, build_modl(signed=False, eula=None), "demo.modl")

    assert caught.value.message.startswith("The gateway quarantined module com.example.demo")
    assert "-Dignition.allowunsignedmodules=true" in caught.value.message
    assert caught.value.retryable is False
    with pytest.raises(GatewayError, match="quarantined module com.example.demo"):
        content.wait_for_module(client, "com.example.demo", 5)


def test_an_install_the_gateway_does_not_list_fails():
    empty = {"items": [], "metadata": {"total": 0, "matching": 0, "limit": 100, "offset": 0}}
    api = "/data/api/v1/modules"
    server = StubGateway(
        {
            ("POST", f"{api}/upload"): Answer(body={"moduleId": "com.example.demo"}),
            ("POST", f"{api}/install"): Answer(body={"success": True}),
            ("GET", f"{api}/quarantined"): Answer(body=empty),
            ("GET", f"{api}/healthy"): Answer(body=empty),
        }
    )
    try:
        with pytest.raises(GatewayError, match="in neither modules/healthy nor modules/quar"):
            content.install_module(GatewayClient(server.url, version="8.3"), b"x", "demo.modl")
    finally:
        server.stop()


def test_waiting_for_a_version_waits_for_that_version(client):
    content.install_module(client, build_modl(version="1.0.0"), "demo.modl")
    ops.restart(client, wait=True, timeout=20)

    with pytest.raises(GatewayTimeoutError, match=r"last state: ACTIVE, version 1.0.0\)"):
        content.wait_for_module(client, "com.example.demo", 0.1, version="2.0.0")
    assert content.wait_for_module(client, "com.example.demo", 1, version="1.0.0")


def test_projects_list_find_export_and_import(client, tmp_path):
    names = [p["name"] for p in content.list_projects(client)]
    project = content.get_project(client, "SimDemo")
    content_type = content.export_project(client, "SimDemo", tmp_path / "p.zip", 30)
    data = (tmp_path / "p.zip").read_bytes()

    answer = content.import_project(client, "Copied", data, overwrite=False, timeout=30)

    assert {"SimDemo", "SecureDemo"} <= set(names)
    assert project["name"] == "SimDemo"
    assert content_type.startswith("application/zip")
    assert answer == {"success": True, "message": "Project Copied imported"}
    assert content.get_project(client, "Copied")["name"] == "Copied"
    with pytest.raises(GatewayError, match="HTTP 409: Project 'Copied' already exists"):
        content.import_project(client, "Copied", data, overwrite=False, timeout=30)
    content.import_project(client, "Copied", data, overwrite=True, timeout=30)


def test_a_missing_project_is_a_clear_permanent_error(client):
    with pytest.raises(GatewayError) as caught:
        content.get_project(client, "Nope")

    assert caught.value.message == "Project 'Nope' does not exist on the gateway."
    assert caught.value.retryable is False


def test_tags_export_and_import(client):
    exported = json.loads(content.export_tags(client, {"provider": "default", "type": "json"}))

    answer = content.import_tags(
        client,
        json.dumps(exported).encode(),
        {"provider": "default", "type": "json", "collisionPolicy": "Overwrite"},
    )

    assert exported["tags"]
    assert answer["failureCount"] == 0


def test_a_tag_import_format_the_gateway_refuses(client):
    with pytest.raises(GatewayError, match="HTTP 415"):
        content.import_tags(client, b"a,b", {"provider": "default", "type": "csv"})


def test_a_tag_import_answer_that_is_not_json_is_kept_as_text():
    server = PlainServer(body=b"done")
    try:
        answer = content.import_tags(GatewayClient(server.url, version="8.3"), b"", {})
    finally:
        server.stop()

    assert answer == {"text": "done"}


@pytest.mark.parametrize(
    "operation",
    [
        lambda c: content.list_modules(c),
        lambda c: content.install_module(c, b"", "x.modl"),
        lambda c: content.list_projects(c),
        lambda c: content.get_project(c, "x"),
        lambda c: content.export_project(c, "x", None, 1),
        lambda c: content.import_project(c, "x", b"", overwrite=False, timeout=1),
        lambda c: content.export_tags(c, {}),
        lambda c: content.import_tags(c, b"", {}),
    ],
)
def test_81_refuses_every_rest_operation(sim81, operation):
    with pytest.raises(GatewayError, match="Ignition 8.1 has no REST API to"):
        operation(GatewayClient(sim81.url))


@pytest.mark.parametrize(
    ("_case", "headers", "body", "expected"),
    [
        ("json message", {"content-type": "application/json"}, '{"message": "m"}', "m"),
        ("json messages", {"content-type": "application/json"}, '{"messages": ["a", "b"]}', "a; b"),
        (
            "json problem",
            {"content-type": "application/json"},
            '{"success": false, "problem": {"message": "p"}}',
            "p",
        ),
        ("json other", {"content-type": "application/json"}, "[1]", "[1]"),
        ("json invalid", {"content-type": "application/json"}, "{oops", "{oops"),
        ("html title", {"content-type": "text/html"}, "<title>Oops &amp; co</title>", "Oops & co"),
        ("html plain", {"content-type": "text/html"}, "<p>plain  text</p>", "plain text"),
        ("text", {"content-type": "text/plain"}, "just\ntext", "just text"),
    ],
)
def test_gateway_message_reads_every_body_style(_case, headers, body, expected):
    assert gateway_message(httpx.Response(400, headers=headers, text=body)) == expected


def test_an_uncommissioned_gateway_is_named_as_such(sim_factory):
    sim = sim_factory(commissioned=False)

    with pytest.raises(GatewayError, match="not commissioned yet"):
        GatewayClient(sim.url, token=TOKEN).api("GET", "gateway-info")


def test_invalid_json_from_the_api_is_an_error(client):
    with pytest.raises(GatewayError, match="did not answer JSON"):
        client.api_json("GET", "logs/download")
