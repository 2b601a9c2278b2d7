"""No false green: steps that change a gateway read the change back and fail when it is not
there. The gateways that lie are plain stub servers answering recorded shapes."""

import io
import itertools
import zipfile

import pytest

from apps.gateways.client import GatewayClient, GatewayError
from apps.gateways.client import operations as ops
from apps.steps.errors import StepError
from tests.gateways.client.stub import Answer, StubGateway
from tests.steps.plugins.gateway.harness import credential

API = "/data/api/v1"
MOD = "com.inductiveautomation.vision"
VISION = {"id": MOD, "name": "Vision", "version": "12.3.9 (b2026082511)", "state": "ACTIVE"}


def envelope(items: list) -> dict:
    meta = {"total": len(items), "matching": len(items), "limit": 100, "offset": 0}
    return {"items": items, "metadata": meta}


def restarting_ping() -> callable:
    """StatusPing that goes STARTING once, then RUNNING: a restart the client can see."""
    states = itertools.chain(["STARTING"], itertools.repeat("RUNNING"))
    return lambda call: Answer(body={"state": next(states)})


@pytest.fixture
def stub():
    servers = []

    def start(routes):
        routes = {
            ("GET", "/system/gwinfo"): Answer(body="Version=8.3.9;", content_type="text"),
            **routes,
        }
        servers.append(StubGateway(routes))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def test_uninstall_removes_the_module_after_the_restart(sim_factory, harness):
    sim = sim_factory(version="8.3.9")
    run = harness({"gateway_url": sim.url, "token": credential("api_token")})

    outputs = run.step("gateway.uninstall_module", module_id=MOD, timeout=30)

    assert outputs == {"status": "uninstalled", "module_id": MOD}
    assert MOD not in sim.gateway.modules.installed
    with pytest.raises(StepError, match=f"Module {MOD} is not installed"):
        run.step("gateway.uninstall_module", module_id=MOD)


def test_an_uninstall_that_did_not_happen_fails_the_step(stub, harness):
    gateway = stub(
        {
            ("GET", f"{API}/modules/healthy"): Answer(body=envelope([VISION])),
            ("DELETE", f"{API}/modules/uninstall"): Answer(body={"success": True}),
            ("POST", f"{API}/restart-tasks/restart"): Answer(body=True),
            ("GET", "/StatusPing"): restarting_ping(),
        }
    )
    run = harness({"gateway_url": gateway.url, "token": credential("api_token")})

    with pytest.raises(StepError, match=f"Module {MOD} is still installed after the restart"):
        run.step("gateway.uninstall_module", module_id=MOD, timeout=30)


def test_a_restore_that_lost_a_project_fails_naming_it(stub, harness):
    gateway = stub(
        {
            ("POST", f"{API}/backup"): Answer(body={"success": True}),
            ("GET", "/StatusPing"): restarting_ping(),
            ("GET", f"{API}/projects/list"): Answer(body=envelope([{"name": "Line1"}])),
        }
    )
    run = harness({"gateway_url": gateway.url, "token": credential("api_token")})
    run.folder.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("Line1", "Line2"):
            archive.writestr(f"projects/{name}/project.json", "{}")
    (run.folder / "b.gwbk").write_bytes(buffer.getvalue())

    with pytest.raises(StepError, match=r"project\(s\) Line2 of the backup are not on it"):
        run.step("gateway.restore", file="b.gwbk", timeout=30)


def test_a_trial_reset_that_left_the_trial_expired_fails(stub):
    expired = {"licenseMode": "Trial", "trialSecondsLeft": 0, "expired": True}
    gateway = stub(
        {
            ("POST", f"{API}/trial"): Answer(body=expired),
            ("GET", f"{API}/trial"): Answer(body=expired),
        }
    )

    with pytest.raises(GatewayError, match="accepted the trial reset, but the trial still reads"):
        ops.reset_trial(GatewayClient(gateway.url, token="a:b", version="8.3"))


def test_an_uninstall_without_restart_only_asks_for_the_removal(sim_factory, harness):
    sim = sim_factory(version="8.3.9")
    run = harness({"gateway_url": sim.url, "token": credential("api_token")})

    outputs = run.step("gateway.uninstall_module", module_id=MOD, restart=False)

    assert outputs == {"status": "uninstall_pending", "module_id": MOD}
    assert sim.gateway.modules.installed[MOD].pending == {"action": "uninstall"}


def test_a_restore_that_wiped_the_token_skips_the_project_check_with_a_warning(
    sim_factory, harness
):
    sim = sim_factory(version="8.3.9", restore_wipes_tokens=True)
    run = harness({"gateway_url": sim.url, "token": credential("api_token")})
    backup = run.step("gateway.backup")

    outputs = run.step("gateway.restore", file=backup["artifact"], timeout=30)

    assert outputs == {"status": "restored", "projects": None}
    assert any("Could not check the restored projects" in m for _, m in run.logs)
