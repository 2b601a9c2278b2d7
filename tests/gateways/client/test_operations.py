"""Readiness, restart, backup/restore and trial operations against live simulators."""

import threading

import pytest

from apps.executions.engine.control import RunControl, StepInterrupted
from apps.gateways.client import (
    GatewayClient,
    GatewayError,
    GatewayTimeoutError,
    GatewayUnsupportedError,
)
from apps.gateways.client import operations as ops
from tests.gateways.client.sim import TOKEN


def test_gwinfo_is_parsed_and_gives_the_version(sim, sim81):
    info = GatewayClient(sim.url).gwinfo()

    assert info["ContextStatus"] == "RUNNING"
    assert info["PlatformName"] == "Ignition-simulator"
    assert GatewayClient(sim.url).version == "8.3"
    assert GatewayClient(sim81.url).version == "8.1"


def test_wait_for_ready_returns_when_running(sim):
    result = ops.wait_for_ready(GatewayClient(sim.url), 5)

    assert (result["state"], result["polls"]) == ("RUNNING", 1)


def test_wait_for_ready_times_out_with_the_last_state(sim):
    sim.control("POST", "state", json={"state": "FAULTED"})

    with pytest.raises(GatewayTimeoutError) as caught:
        ops.wait_for_ready(GatewayClient(sim.url), 0.3)

    assert caught.value.message == "The gateway was not ready after 0.3 s (last state: FAULTED)."


def test_wait_for_ready_reports_an_unreachable_gateway(closed_port_url):
    with pytest.raises(GatewayTimeoutError, match=r"last state: no answer \(GET /StatusPing could"):
        ops.wait_for_ready(GatewayClient(closed_port_url), 0.2)


def test_wait_for_ready_treats_commissioning_as_not_ready(sim_factory):
    sim = sim_factory(commissioned=False)

    with pytest.raises(GatewayTimeoutError, match=r"last state: RUNNING \(COMMISSIONING\)"):
        ops.wait_for_ready(GatewayClient(sim.url), 0.2)


@pytest.mark.parametrize("style", ["soft", "hard"])
def test_restart_waits_until_the_gateway_went_down_and_came_back(sim_factory, style):
    sim = sim_factory(restart_style=style)
    client = GatewayClient(sim.url, token=TOKEN)

    result = ops.restart(client, wait=True, timeout=20)

    assert (result["status"], result["state"]) == ("restarted", "RUNNING")
    assert sim.gateway.tick().value == "RUNNING"
    assert sim.control("GET", "state").json()["restarts"] == 1


def test_restart_without_waiting(sim):
    result = ops.restart(GatewayClient(sim.url, token=TOKEN), wait=False, timeout=5)

    assert result == {"status": "restarting"}


def test_a_cancel_during_the_restart_wait_interrupts_it(sim_factory):
    sim = sim_factory(time_scale=1.0)
    control = RunControl()
    control.begin_step(None)
    client = GatewayClient(sim.url, token=TOKEN)
    client.bind(sleep=lambda s: (control.check(), threading.Event().wait(s)), check=control.check)
    threading.Timer(0.3, control.cancel).start()

    with pytest.raises(StepInterrupted, match="cancel"):
        ops.restart(client, wait=True, timeout=120)


def test_81_cannot_restart_over_http(sim81):
    with pytest.raises(GatewayUnsupportedError, match="gwcmd -r"):
        ops.restart(GatewayClient(sim81.url), wait=True, timeout=5)


def test_backup_is_streamed_with_the_gateways_file_name(sim, tmp_path):
    target = tmp_path / "part"

    name, size = ops.backup(
        GatewayClient(sim.url, token=TOKEN), target, kind="all", peer=False, timeout=30
    )

    assert name.startswith("Ignition-simulator_8.3.6_")
    assert name.endswith(".gwbk")
    assert size == target.stat().st_size > 0


def test_restore_uploads_the_backup_and_the_gateway_restarts(sim, tmp_path):
    client = GatewayClient(sim.url, token=TOKEN)
    ops.backup(client, tmp_path / "b.gwbk", kind=None, peer=True, timeout=30)

    result = ops.restore(
        client, (tmp_path / "b.gwbk").read_bytes(), options={"restoreDisabled": True}, timeout=30
    )
    ops.wait_for_ready(client, 20, after_restart=True)

    assert result == {"status": "restored"}
    assert sim.control("GET", "state").json()["restarts"] == 1


def test_restore_of_a_broken_file_is_refused(sim):
    with pytest.raises(GatewayError, match="POST /data/api/v1/backup answered HTTP 400"):
        ops.restore(GatewayClient(sim.url, token=TOKEN), b"not a zip", options={}, timeout=5)


def test_81_has_no_backup_api(sim81, tmp_path):
    client = GatewayClient(sim81.url)

    with pytest.raises(GatewayUnsupportedError, match="Backup/Restore"):
        ops.backup(client, tmp_path / "x", kind=None, peer=False, timeout=5)
    with pytest.raises(GatewayUnsupportedError, match="gwcmd --restore"):
        ops.restore(client, b"", options={}, timeout=5)


def test_trial_status_on_83_needs_no_login(sim):
    status = ops.trial_status(GatewayClient(sim.url))

    assert status["license_mode"] == "Trial"
    assert status["expired"] is False
    assert 0 < status["trial_seconds_left"] <= 7200


def test_trial_reset_on_83_only_works_once_expired(sim):
    client = GatewayClient(sim.url, username="admin", password="password")

    with pytest.raises(GatewayError, match="only allows it once the trial expired") as caught:
        ops.reset_trial(client)
    sim.control("POST", "trial/expire")
    expired = ops.trial_status(client)
    after = ops.reset_trial(client)

    assert caught.value.status_code == 403
    assert expired["expired"] is True
    assert after["expired"] is False
    assert after["trial_seconds_left"] > 7000


def test_trial_on_81_reads_and_resets_the_home_page_countdown(sim81):
    client = GatewayClient(sim81.url)
    sim81.control("POST", "trial/expire")

    with pytest.raises(GatewayError, match="no 'Reset Trial' link for this user"):
        ops.reset_trial(client)
    client.login("admin", "password")
    expired = ops.trial_status(client)
    after = ops.reset_trial(client)

    assert (expired["license_mode"], expired["expired"]) == ("Trial", True)
    assert expired["trial_seconds_left"] == 0
    assert after["expired"] is False


def test_a_page_without_countdown_reads_as_licensed(fake_gateway):
    from tests.gateways.fixtures import Route

    fake_gateway.routes["/web/home"] = Route(body="<html>licensed</html>")

    status = ops.trial_status(GatewayClient(fake_gateway.url, version="8.1"))

    assert status == {
        "license_mode": "Licensed",
        "trial_state": None,
        "trial_seconds_left": None,
        "expired": False,
    }


@pytest.mark.parametrize(
    ("_case", "route", "message"),
    [
        ("not 200", {"status": 500, "body": {"message": "boom"}}, "answered HTTP 500: boom"),
        ("not json", {"body": "RUNNING"}, "did not answer JSON: 'RUNNING'"),
        ("json list", {"body": ["RUNNING"]}, "did not answer JSON"),
    ],
)
def test_odd_status_ping_answers_are_errors(fake_gateway, _case, route, message):
    from tests.gateways.fixtures import Route

    fake_gateway.routes["/StatusPing"] = Route(
        headers={"Content-Type": "application/json"}, **route
    )

    with pytest.raises(GatewayError, match=message):
        GatewayClient(fake_gateway.url).status_ping()


def test_a_missing_gwinfo_is_an_error(fake_gateway):
    with pytest.raises(GatewayError, match="GET /system/gwinfo answered HTTP 404"):
        GatewayClient(fake_gateway.url).gwinfo()
