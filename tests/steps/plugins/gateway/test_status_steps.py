"""gateway.login/logout/ping/get_info/get_health/wait_for_ready/restart and gateway choice."""

import pytest

from apps.executions.engine.control import RunControl, StepInterrupted
from apps.steps.errors import StepError
from tests.steps.plugins.browser.harness import interrupt_later
from tests.steps.plugins.gateway.harness import credential


def test_login_with_a_password_opens_a_web_session(sim, harness):
    run = harness({"gateway_url": sim.url})

    outputs = run.step("gateway.login", username="admin", password="password")
    info = run.step("gateway.get_info")

    assert outputs == {"status": "logged_in", "mode": "session", "version": "8.3"}
    assert info["info"]["license_mode"] == "Trial"
    assert info["info"]["version"] == "8.3.6 (b2026042713)"
    assert run.logs == [("info", f"Logged in to {sim.url} as admin (web session).")]


def test_login_with_a_credential_object(sim, harness):
    run = harness({"gateway_url": sim.url})

    outputs = run.step("gateway.login", username="admin", password=credential())

    assert outputs["mode"] == "session"


def test_login_with_an_api_token_credential_switches_to_token_auth(sim, harness):
    run = harness({"gateway_url": sim.url})

    outputs = run.step("gateway.login", username="ignored", password=credential("api_token"))

    assert outputs == {"status": "logged_in", "mode": "token", "version": "8.3"}


def test_a_wrong_password_fails_the_step(sim, harness):
    run = harness({"gateway_url": sim.url})

    with pytest.raises(StepError, match="login refused for user 'admin'"):
        run.step("gateway.login", username="admin", password="wrong")


def test_logout_then_calls_need_a_login_again(sim, harness):
    run = harness({"gateway_url": sim.url})
    run.step("gateway.login", username="admin", password="password")

    outputs = run.step("gateway.logout")

    assert outputs["status"] == "logged_out"
    assert "best effort: Ignition has no known logout route" in outputs["note"]
    assert sim.gateway.auth.sessions  # no logout route was called: the gateway's session stays
    with pytest.raises(StepError, match="HTTP 401"):
        run.step("gateway.list_modules")


def test_81_login_and_info_from_gwinfo(sim81, harness):
    run = harness({"gateway_url": sim81.url})

    run.step("gateway.login", username="admin", password="password")
    info = run.step("gateway.get_info")["info"]
    health = run.step("gateway.get_health")["health"]

    assert (info["name"], info["version"], info["state"]) == (
        "Ignition-simulator",
        "8.1.48",
        "RUNNING",
    )
    assert health == {"healthy": True, "state": "RUNNING"}


def test_get_info_without_a_login_reads_gwinfo_only(sim, harness):
    info = harness({"gateway_url": sim.url}).step("gateway.get_info")["info"]

    assert info["version"] == "8.3.6"
    assert "gateway_info" not in info


def test_get_health_with_a_run_credential_reads_the_overview(sim, harness):
    run = harness({"gateway_url": sim.url, "gw": credential()})

    health = run.step("gateway.get_health")["health"]

    assert health["healthy"] is True
    assert health["memory_max_mb"] == 1024
    assert health["cpu_percent"] == 5.0
    assert health["uptime_seconds"] >= 0


def test_ping_reports_and_never_fails(sim, closed_port_url, harness):
    assert harness({"gateway_url": sim.url}).step("gateway.ping") == {
        "status": "ok",
        "response": True,
        "state": "RUNNING",
    }
    down = harness({"gateway_url": closed_port_url}).step("gateway.ping")
    assert down == {"status": "unreachable", "response": False, "state": None}


def test_wait_for_ready_and_its_timeout(sim, harness):
    run = harness({"gateway_url": sim.url})

    assert run.step("gateway.wait_for_ready", timeout=5)["status"] == "ready"
    sim.control("POST", "state", json={"state": "FAULTED"})
    with pytest.raises(StepError, match=r"not ready after 0 s \(last state: FAULTED\)") as caught:
        run.step("gateway.wait_for_ready", timeout=0)
    assert caught.value.retryable is True


def test_restart_with_and_without_waiting(sim, harness):
    run = harness({"gateway_url": sim.url, "token": credential("api_token")})

    assert run.step("gateway.restart", wait_for_ready=True, timeout=20) == {"status": "restarted"}
    assert run.step("gateway.restart", wait_for_ready="no") == {"status": "restarting"}
    assert ("info", f"Gateway {sim.url}: restarted.") in run.logs


def test_restart_on_81_says_what_to_use_instead(sim81, harness):
    with pytest.raises(StepError, match="8.1 has no REST API to restart") as caught:
        harness({"gateway_url": sim81.url}).step("gateway.restart")

    assert caught.value.retryable is False


@pytest.mark.parametrize(
    ("step_type", "params"),
    [
        ("gateway.restart", {"wait_for_ready": True, "timeout": 60}),
        ("gateway.wait_for_ready", {"timeout": 60}),
    ],
)
def test_cancel_mid_poll_stops_the_step(sim_factory, harness, step_type, params):
    sim = sim_factory(time_scale=1.0)
    sim.control("POST", "state", json={"state": "FAULTED"})
    run = harness({"gateway_url": sim.url, "token": credential("api_token")})
    control = RunControl()
    interrupt_later(control, 0.3)

    with pytest.raises(StepInterrupted, match="cancel"):
        run.step(step_type, control=control, **params)


def test_the_gateway_comes_from_a_credential_or_the_run_when_no_parameter(sim, harness):
    run = harness({"gw": credential("api_token", gateway_url=sim.url)})

    assert run.step("gateway.list_projects")["count"] >= 2
    run.parameters.clear()  # a nested playbook without the parameter: the run's gateway
    assert run.step("gateway.ping")["response"] is True


@pytest.mark.parametrize(
    ("_case", "parameters", "message"),
    [
        ("none", {}, "No gateway to talk to: give the playbook a 'gateway_url' parameter"),
        ("not a url", {"gateway_url": "gateway.local"}, "is not a gateway URL"),
    ],
)
def test_a_missing_or_bad_gateway_url_is_a_parameter_error(harness, _case, parameters, message):
    with pytest.raises(StepError, match=message) as caught:
        harness(parameters).step("gateway.ping")

    assert caught.value.retryable is False
