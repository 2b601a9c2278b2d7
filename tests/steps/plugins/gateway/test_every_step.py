"""Every gateway step type: bad parameters, the step timeout on a hung gateway, 8.1 limits."""

import pytest

from apps.executions.engine.control import StepInterrupted
from apps.steps.catalogue.gateway import STEP_TYPES
from apps.steps.errors import StepError
from tests.steps.plugins.gateway.harness import credential

# Parameters that pass validation for each type (files are created by the tests).
VALID = {
    "gateway.login": {"username": "admin", "password": "password"},
    "gateway.upload_module": {"file": "m.modl"},
    "gateway.wait_for_module_installation": {"module_name": "Vision", "timeout": 5},
    "gateway.get_project": {"project_name": "SimDemo"},
    "gateway.restore": {"file": "b.gwbk"},
    "gateway.export_project": {"project_name": "SimDemo"},
    "gateway.import_project": {"project_name": "P", "file": "p.zip"},
    "gateway.import_tags": {"file": "t.json"},
    "gateway.api_request": {"path": "gateway-info"},
    "gateway.uninstall_module": {"module_id": "com.inductiveautomation.vision"},
}
ALL_TYPES = sorted(step_type.id for step_type in STEP_TYPES)
# Types that need no REST API on 8.1 (the others fail with a clear message).
WORK_ON_81 = {
    "gateway.login",
    "gateway.logout",
    "gateway.ping",
    "gateway.get_info",
    "gateway.get_health",
    "gateway.wait_for_ready",
    "gateway.trial_status",
    "gateway.reset_trial",
}


def files(folder):
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("m.modl", "b.gwbk", "p.zip", "t.json"):
        (folder / name).write_bytes(b"{}")


@pytest.mark.parametrize("step_type", ALL_TYPES)
def test_an_unknown_parameter_is_refused(harness, step_type):
    with pytest.raises(StepError, match=f"{step_type} does not take bogus") as caught:
        harness({"gateway_url": "http://127.0.0.1:9"}).step(step_type, bogus=1)

    assert caught.value.retryable is False


@pytest.mark.parametrize(
    ("step_type", "params", "message"),
    [
        ("gateway.login", {"username": "admin"}, "gateway.login needs 'password'"),
        (
            "gateway.restart",
            {"timeout": "soon"},
            "'timeout' (in s) must be a whole number, not 'soon'",
        ),
        ("gateway.restart", {"timeout": -1}, "'timeout' must be at least 0, not -1"),
        ("gateway.restart", {"wait_for_ready": "maybe"}, "'wait_for_ready' must be true or"),
        ("gateway.backup", {"type": "some"}, "'type' must be one of roaming, all, not 'some'"),
        ("gateway.backup", {"name": "../x.gwbk"}, "'name' must be a relative name inside"),
        ("gateway.get_project", {"project_name": ["a"]}, "'project_name' must be text, not a list"),
        ("gateway.api_request", {"path": "x", "query": "a=b"}, "'query' must be a mapping"),
        (
            "gateway.api_request",
            {"path": "x", "json": {}, "body_file": "f"},
            "takes only one of json or body_file",
        ),
        (
            "gateway.api_request",
            {"path": "x", "expected_status": ["ok"]},
            "'expected_status' item 1 must be a whole number, not 'ok'",
        ),
        (
            "gateway.upload_module",
            {"file": "missing.modl"},
            "'file': no file 'missing.modl' in this run's folder",
        ),
    ],
)
def test_bad_parameters_fail_before_any_call(sim, harness, step_type, params, message):
    with pytest.raises(StepError, match=message.replace("(", r"\(").replace(")", r"\)")):
        harness({"gateway_url": sim.url}).step(step_type, **params)


# gateway.logout without a web session makes no call.
@pytest.mark.parametrize("step_type", sorted(set(ALL_TYPES) - {"gateway.logout"}))
def test_a_hung_gateway_ends_the_step_at_its_timeout(sim, harness, step_type):
    run = harness({"gateway_url": sim.url, "token": credential("api_token")})
    files(run.folder)
    run.step("gateway.ping")  # the client (and the gateway's version) exist before the hang
    run.resources.peek(f"gateway:{sim.url}")._version = "8.3"
    sim.fault("/", "hang", seconds=30)

    with pytest.raises(StepInterrupted, match="timeout"):
        run.step(step_type, step_timeout=0.3, **VALID.get(step_type, {}))


@pytest.mark.parametrize("step_type", sorted(set(ALL_TYPES) - WORK_ON_81))
def test_81_rest_only_steps_say_so(sim81, harness, step_type):
    run = harness({"gateway_url": sim81.url})
    files(run.folder)

    with pytest.raises(StepError, match="Ignition 8.1 has no REST API to") as caught:
        run.step(step_type, **VALID.get(step_type, {}))

    assert caught.value.retryable is False
