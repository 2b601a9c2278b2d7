"""Module, project, backup, trial, tag and api_request steps against live simulators."""

import pytest

from apps.steps.errors import StepError
from tests.gateways.client.plain import PlainServer
from tests.gateways.client.stub import Answer, StubGateway
from tests.simulator.helpers import build_modl
from tests.steps.plugins.gateway.harness import credential


@pytest.fixture
def run(sim, harness):
    return harness({"gateway_url": sim.url, "token": credential("api_token")})


def test_list_modules(run):
    outputs = run.step("gateway.list_modules")

    assert outputs["count"] == len(outputs["modules"]) >= 3
    vision = next(m for m in outputs["modules"] if m["name"] == "Vision")
    assert set(vision) == {
        "id",
        "name",
        "version",
        "state",
        "description",
        "license_state",
        "should_upgrade",
    }


def test_upload_restart_and_wait_for_a_module(run):
    run.folder.mkdir(parents=True, exist_ok=True)
    (run.folder / "demo.modl").write_bytes(build_modl())

    uploaded = run.step("gateway.upload_module", file="demo.modl")
    with pytest.raises(StepError, match="was not running after 0 s"):
        run.step("gateway.wait_for_module_installation", module_name="Demo Module", timeout=0)
    run.step("gateway.restart", wait_for_ready=True, timeout=20)
    waited = run.step(
        "gateway.wait_for_module_installation", module_name="Demo Module", version="1.0.0"
    )

    assert uploaded == {
        "module_id": "com.example.demo",
        "version": "1.0.0",
        "restart_required": True,
    }
    assert waited == {"status": "installed", "module_name": "Demo Module", "version": "1.0.0"}


def test_projects_list_get_export_and_import(run):
    listed = run.step("gateway.list_projects")
    project = run.step("gateway.get_project", project_name="SimDemo")["project"]
    exported = run.step("gateway.export_project", project_name="SimDemo")
    imported = run.step("gateway.import_project", project_name="Copy", file=exported["artifact"])

    assert {"name": "SimDemo"}.items() <= next(
        p for p in listed["projects"] if p["name"] == "SimDemo"
    ).items()
    assert project["name"] == "SimDemo"
    assert (exported["status"], exported["artifact"]) == ("exported", "SimDemo.zip")
    assert exported["size_bytes"] == (run.folder / "SimDemo.zip").stat().st_size
    assert imported == {"status": "imported", "project_name": "Copy"}


def test_get_project_of_a_missing_project(run):
    with pytest.raises(StepError, match="Project 'Nope' does not exist") as caught:
        run.step("gateway.get_project", project_name="Nope")

    assert caught.value.retryable is False


def test_backup_is_stored_as_an_artifact_and_restored(run):
    backup = run.step("gateway.backup", type="all")
    named = run.step("gateway.backup", name="nightly.gwbk")
    restored = run.step("gateway.restore", file=backup["artifact"], timeout=20)
    later = run.step("gateway.restore", file=named["artifact"], wait_for_ready=False)

    assert backup["status"] == "downloaded"
    assert backup["artifact"].endswith(".gwbk")
    assert run.artifacts[0].kind == "download"
    assert run.artifacts[1].name == "nightly.gwbk"
    assert backup["size_bytes"] > 0
    assert restored == {"status": "restored", "projects": ["SecureDemo", "SimDemo"]}
    assert later == {"status": "restoring", "projects": None}
    assert not list(run.folder.glob(".gateway-*.part"))


def test_trial_status(run):
    status = run.step("gateway.trial_status")

    assert (status["license_mode"], status["trial_state"], status["expired"]) == (
        "Trial",
        "AllInDemo",
        False,
    )


def test_reset_trial_is_a_no_op_while_the_trial_runs(run):
    outputs = run.step("gateway.reset_trial")

    assert (outputs["status"], outputs["reset"]) == ("not_expired", False)


def test_forcing_a_reset_of_a_running_trial_is_refused_by_the_gateway(sim, harness):
    run = harness({"gateway_url": sim.url, "token": credential("api_token"), "web": credential()})

    with pytest.raises(StepError, match="HTTP 403"):
        run.step("gateway.reset_trial", only_if_expired=False)


@pytest.mark.parametrize(
    ("_case", "parameters", "params"),
    [
        ("run credential", {"web": credential()}, {}),
        ("explicit", {}, {"username": "admin", "password": "password"}),
        ("explicit credential", {}, {"password": credential()}),
    ],
)
def test_an_expired_trial_is_reset_through_a_web_session(sim, harness, _case, parameters, params):
    run = harness({"gateway_url": sim.url, "token": credential("api_token"), **parameters})
    sim.control("POST", "trial/expire")

    outputs = run.step("gateway.reset_trial", **params)

    assert (outputs["status"], outputs["reset"]) == ("reset", True)
    assert outputs["trial_seconds_left"] > 7000


def test_a_logged_in_session_resets_the_trial(sim, harness):
    run = harness({"gateway_url": sim.url})
    run.step("gateway.login", username="admin", password="password")
    sim.control("POST", "trial/expire")

    assert run.step("gateway.reset_trial")["reset"] is True


def test_reset_trial_with_only_a_token_asks_for_a_web_login(sim, run):
    sim.control("POST", "trial/expire")

    with pytest.raises(StepError, match="needs a web login of an administrator"):
        run.step("gateway.reset_trial")


def test_reset_trial_on_81_through_the_home_page(sim81, harness):
    run = harness({"gateway_url": sim81.url, "web": credential()})
    sim81.control("POST", "trial/expire")

    status = run.step("gateway.trial_status")
    outputs = run.step("gateway.reset_trial")

    assert status["expired"] is True
    assert outputs["reset"] is True


def test_export_and_import_tags(run):
    exported = run.step("gateway.export_tags")
    xml = run.step("gateway.export_tags", format="xml", name="tags.xml")
    imported = run.step(
        "gateway.import_tags", file=exported["artifact"], collision_policy="Overwrite"
    )

    assert exported["artifact"] == "tags-default.json"
    assert exported["tags"] > 0
    assert (xml["artifact"], xml["tags"]) == ("tags.xml", None)
    assert imported["status"] == "imported"
    assert imported["response"]["failureCount"] == 0


def test_api_request_get_json(run):
    outputs = run.step("gateway.api_request", path="gateway-info")

    assert outputs["status_code"] == 200
    assert outputs["json"]["name"] == "Ignition-simulator"
    assert outputs["text"] is None


def test_api_request_post_json_and_absolute_text_paths(run):
    created = run.step(
        "gateway.api_request", method="POST", path="projects", json={"name": "NewOne"}
    )
    gwinfo = run.step("gateway.api_request", path="/system/gwinfo")

    assert created["json"]["success"] is True
    assert gwinfo["text"].startswith("ContextStatus=RUNNING")


def test_api_request_bytes_body_and_save_as(run):
    exported = run.step("gateway.api_request", path="projects/export/SimDemo", save_as="p.zip")
    imported = run.step(
        "gateway.api_request",
        method="POST",
        path="projects/import/Other",
        query={"overwrite": "true"},
        body_file=exported["artifact"],
        headers={"Content-Type": "application/zip"},
    )

    assert exported["artifact"] == "p.zip"
    assert exported["text"] is None
    assert imported["json"] == {"success": True, "message": "Project Other imported"}


def test_api_request_expected_status(run):
    missing = run.step("gateway.api_request", path="projects/find/Nope", expected_status=[200, 404])

    assert missing["status_code"] == 404
    with pytest.raises(StepError, match="GET /data/api/v1/projects/find/Nope answered HTTP 404"):
        run.step("gateway.api_request", path="projects/find/Nope")


def test_api_request_refuses_auth_headers(run):
    with pytest.raises(StepError, match=r"refused: X-Ignition-API-Token\)"):
        run.step("gateway.api_request", path="x", headers={"X-Ignition-API-Token": "a:b"})


def test_api_request_reports_invalid_json(harness):
    server = PlainServer(body=b"{oops", content_type="application/json")
    run = harness({"gateway_url": server.url})
    try:
        with pytest.raises(StepError, match="GET x answered invalid JSON"):
            run.step("gateway.api_request", path="x")
    finally:
        server.stop()


def test_files_may_be_absolute_paths_in_an_allowed_input_folder(run, tmp_path):
    tags = tmp_path / "inputs" / "tags.json"
    tags.parent.mkdir()
    tags.write_text('{"path": "", "tags": []}')
    run.input_dirs = (tmp_path / "inputs",)

    outputs = run.step("gateway.import_tags", file=str(tags))

    assert outputs["status"] == "imported"


def test_a_credential_without_url_still_leaves_the_gateway_unknown(harness):
    with pytest.raises(StepError, match="No gateway to talk to"):
        harness({"gw": credential()}).step("gateway.ping")


def test_a_tag_import_the_gateway_refuses_fails_naming_the_tags(sim_factory, harness):
    sim = sim_factory(version="8.3.9")
    run = harness({"gateway_url": sim.url, "token": credential("api_token")})
    run.folder.mkdir(parents=True, exist_ok=True)
    (run.folder / "t.json").write_text('{"tags": [{"name": "Status", "tagType": "AtomicTag"}]}')

    with pytest.raises(StepError, match=r"refused 1: \[default\]Status") as caught:
        run.step("gateway.import_tags", file="t.json", collision_policy="Abort")

    assert caught.value.retryable is False


def test_tag_steps_on_830_fail_naming_the_version(sim_factory, harness):
    sim = sim_factory(version="8.3.0")
    run = harness({"gateway_url": sim.url, "token": credential("api_token")})

    with pytest.raises(StepError, match="Ignition 8.3.0 has no tag export/import API"):
        run.step("gateway.export_tags")


def test_a_tag_import_that_did_not_happen_fails_the_step(harness):
    routes = {
        ("GET", "/system/gwinfo"): Answer(body="Version=8.3.9;", content_type="text/plain"),
        ("POST", "/data/api/v1/tags/import"): Answer(body={"successCount": 1, "failureCount": 0}),
        ("GET", "/data/api/v1/tags/export"): Answer(body={"path": "", "tags": []}),
    }
    server = StubGateway(routes)
    run = harness({"gateway_url": server.url, "token": credential("api_token")})
    run.folder.mkdir(parents=True, exist_ok=True)
    (run.folder / "t.json").write_text('{"tags": [{"name": "Pump", "tagType": "AtomicTag"}]}')
    try:
        with pytest.raises(StepError, match=r"Pump is not in \[default\] afterwards"):
            run.step("gateway.import_tags", file="t.json")
    finally:
        server.stop()


def test_an_unsigned_module_fails_the_upload_step_as_quarantined(run):
    run.folder.mkdir(parents=True, exist_ok=True)
    (run.folder / "demo.modl").write_bytes(build_modl(signed=False, eula=None))

    with pytest.raises(StepError, match="The gateway quarantined module com.example.demo"):
        run.step("gateway.upload_module", file="demo.modl")


def test_a_project_import_that_is_not_there_afterwards_fails(harness):
    api = "/data/api/v1/projects"
    server = StubGateway(
        {
            ("GET", "/system/gwinfo"): Answer(body="Version=8.3.9;", content_type="text/plain"),
            ("POST", f"{api}/import/Line"): Answer(body={"success": True}),
        }
    )
    run = harness({"gateway_url": server.url, "token": credential("api_token")})
    run.folder.mkdir(parents=True, exist_ok=True)
    (run.folder / "p.zip").write_bytes(b"PK")
    try:
        with pytest.raises(StepError, match="reading it back failed: Project 'Line' does not"):
            run.step("gateway.import_project", project_name="Line", file="p.zip")
    finally:
        server.stop()


def test_a_diagnostics_bundle_is_generated_waited_for_and_stored(run):
    outputs = run.step("gateway.diagnostics_bundle", name="diag.zip", timeout=30)

    assert outputs["status"] == "downloaded"
    assert outputs["artifact"] == "diag.zip"
    assert (run.folder / "diag.zip").read_bytes()[:2] == b"PK"
    assert outputs["size_bytes"] == (run.folder / "diag.zip").stat().st_size


def test_a_diagnostics_bundle_that_never_becomes_valid_times_out(sim_factory, harness):
    # Real-time gateway seconds: the bundle stays Generating for 5 s, far past the one poll.
    slow = sim_factory(time_scale=1.0)
    run = harness({"gateway_url": slow.url, "token": credential("api_token")})

    with pytest.raises(StepError, match=r"not ready after 0 s \(state: Generating\)"):
        run.step("gateway.diagnostics_bundle", timeout=0)
