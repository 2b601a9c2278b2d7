"""designer.* handlers on a fake Linux desktop (xdotool and import replaced by scripts)."""

import time

import pytest

from apps.credentials.services import ResolvedCredential
from apps.executions.engine.control import RunControl, StepInterrupted
from apps.steps.errors import StepError
from tests.steps.plugins.browser.harness import interrupt_later
from tests.steps.plugins.designer.fakes import launcher_script
from tests.steps.plugins.designer.gateway import PATH, TOKEN

LOGIN = {"Login": {"103": "Open/Create Project"}, "Project": {"104": "Demo - Ignition Designer"}}


def gateway_login() -> ResolvedCredential:
    return ResolvedCredential(
        name="gw-admin",
        kind="username_password",
        username="admin",
        gateway_url="",
        description="",
        secret="pw-9!",
    )


@pytest.fixture
def launcher(tmp_path):
    script = tmp_path / "designerlauncher.sh"
    script.write_text(launcher_script())
    script.chmod(0o755)
    return script


def test_launch_downloads_unpacks_and_starts_the_gateway_launcher(
    desktop, launcher_gateway, harness
):
    token = ResolvedCredential(
        name="key",
        kind="api_token",
        username="",
        gateway_url=launcher_gateway.url,
        description="",
        secret=TOKEN,
    )
    run = harness({"gateway_url": launcher_gateway.url, "key": token})

    outputs = run.step("designer.launch", launcher_file=PATH)

    assert outputs["status"] == "launched"
    assert outputs["launcher_file"].endswith(
        ".designer/launcher/designerlauncher/app/designerlauncher.sh"
    )
    assert "Login - Ignition" in desktop.windows.values()
    download = launcher_gateway.requests[-1]
    assert download["path"] == PATH
    assert download["headers"]["x-ignition-api-token"] == TOKEN
    assert any(
        "Downloaded the launcher designerlauncher-linux-x64.tar.gz" in m for _, m in run.logs
    )


def test_launch_from_a_full_url_and_then_the_whole_designer_flow(
    desktop, launcher_gateway, harness
):
    token = ResolvedCredential(
        name="key",
        kind="api_token",
        username="",
        gateway_url=launcher_gateway.url,
        description="",
        secret=TOKEN,
    )
    run = harness({"key": token})
    desktop.save(on_return=LOGIN)

    run.step("designer.launch", launcher_file=launcher_gateway.url + PATH)
    login = run.step("designer.login", username="admin", password=gateway_login(), timeout=5)
    opened = run.step("designer.open_project", project_name="Demo", timeout=5)
    waited = run.step("designer.wait", timeout=1)
    shot = run.step("designer.screenshot", name="after-open")
    closed = run.step("designer.close")

    assert login == {"status": "logged_in", "username": "admin"}
    assert opened == {"status": "project_opened", "project": "Demo"}
    assert waited == {"status": "window_found"}
    assert shot == {"screenshot": "after-open.png", "status": "captured"}
    assert run.artifacts[-1].path.read_bytes() == b"\x89PNG\r\n\x1a\nwindow 104"
    assert closed == {"status": "closed"}
    assert desktop.typed() == ["admin", "pw-9!", "Demo"]
    assert not any("pw-9!" in " ".join(call["args"]) for call in desktop.calls)
    assert desktop.windows == {}


def test_launch_shortcut_logs_in_with_a_credential_and_opens_the_project(
    desktop, harness, launcher
):
    run = harness({"login": gateway_login()})
    desktop.save(on_return=LOGIN)

    outputs = run.step(
        "designer.launch_shortcut",
        designer_shortcut=f"'{launcher}' -Dapplication=Line1",
        project_name="Demo",
        gateway_credential="gw-admin",
        timeout=5,
    )

    assert outputs == {"status": "launched_and_opened", "project": "Demo", "username": "admin"}
    assert desktop.typed() == ["admin", "pw-9!", "Demo"]


def test_launch_shortcut_with_a_user_name_and_password(desktop, harness, launcher):
    desktop.save(on_return=LOGIN)
    run = harness()

    outputs = run.step(
        "designer.launch_shortcut",
        designer_shortcut=str(launcher),
        project_name="Demo",
        username="erin",
        password="s3cret",
        timeout=5,
    )

    assert outputs["username"] == "erin"
    assert desktop.typed() == ["erin", "s3cret", "Demo"]


def test_a_launcher_that_cannot_start(desktop, harness, tmp_path):
    plain = tmp_path / "not-executable"
    plain.write_text("data")

    with pytest.raises(StepError, match=r"Could not start '.*not-executable': Permission denied"):
        harness().step(
            "designer.launch_shortcut",
            designer_shortcut=str(plain),
            project_name="Demo",
            username="a",
        )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, "needs one of gateway_credential or username"),
        ({"username": "a", "gateway_credential": "gw"}, "takes only one of"),
        ({"gateway_credential": "nobody"}, "No credential named 'nobody' for this run."),
    ],
)
def test_launch_shortcut_credential_choices(desktop, harness, launcher, params, expected):
    with pytest.raises(StepError, match=expected):
        harness().step(
            "designer.launch_shortcut",
            designer_shortcut=str(launcher),
            project_name="Demo",
            timeout=1,
            **params,
        )


def test_open_project_without_a_name_leaves_the_choice_to_a_person(desktop, harness):
    outputs = harness().step("designer.open_project")

    assert outputs == {"status": "awaiting_manual_selection", "project": None}
    assert desktop.calls == []


def test_a_login_window_that_stays_open_fails(desktop, harness):
    desktop.save(windows={"102": "Login - Ignition"})

    with pytest.raises(StepError, match="The login window is still open after 1 s"):
        harness().step("designer.login", username="admin", password="bad", timeout=1)


def test_wait_times_out_naming_the_window(desktop, harness):
    started = time.monotonic()
    with pytest.raises(
        StepError, match=r"No Designer window \(title matching 'Designer'\) within 1 s"
    ):
        harness().step("designer.wait", timeout=1)

    assert 1 <= time.monotonic() - started < 10


def test_cancel_while_waiting_stops_at_once(desktop, harness):
    control = RunControl()
    interrupt_later(control, 0.3)

    started = time.monotonic()
    with pytest.raises(StepInterrupted):
        harness().step("designer.wait", control=control, timeout=30)

    assert time.monotonic() - started < 10  # not the 30 s timeout


def test_screenshot_without_a_designer_window(desktop, harness):
    with pytest.raises(StepError, match=r"No Designer window .* within 0 s"):
        harness().step("designer.screenshot")


def test_screenshot_default_name(desktop, harness):
    desktop.save(windows={"104": "Demo - Ignition Designer"})

    outputs = harness().step("designer.screenshot")

    assert outputs["screenshot"].startswith("designer_screenshot_")
    assert outputs["screenshot"].endswith(".png")


def test_close_kills_a_window_that_does_not_close(desktop, harness, monkeypatch):
    monkeypatch.setattr("apps.steps.plugins.designer.steps.CLOSE_TIMEOUT_S", 0.2)
    desktop.save(windows={"104": "Demo - Ignition Designer"}, stubborn="104")

    assert harness().step("designer.close") == {"status": "closed"}

    assert desktop.windows == {}
    assert desktop.calls[-1]["args"] == ["windowkill", "104"]


def test_a_launcher_that_fails_is_reported(desktop, harness, tmp_path):
    broken = tmp_path / "broken-launcher"
    broken.write_text("#!/bin/sh\nexit 3\n")

    with pytest.raises(StepError, match=r"The launcher exited with code 3 \(see log\)"):
        harness().step("designer.launch", launcher_file=str(broken))


def test_a_launcher_that_shows_no_window(desktop, harness, tmp_path, monkeypatch):
    monkeypatch.setattr("apps.steps.plugins.designer.steps.LAUNCH_TIMEOUT_S", 0.3)
    quiet = tmp_path / "quiet"
    quiet.write_text("#!/bin/sh\nsleep 30\n")
    run = harness()

    with pytest.raises(StepError, match=r"No Designer window within 0.3 s of launching"):
        run.step("designer.launch", launcher_file=str(quiet))
    (process,) = run.resources.peek("designer")
    run.close()  # the end of the run stops what it started

    assert process.wait(timeout=5) == -9


def test_designer_steps_refuse_a_worker_without_the_desktop_capability(harness, settings):
    settings.WORKER_CAPABILITIES = "browser"

    with pytest.raises(StepError) as failure:
        harness().step("designer.wait")

    assert str(failure.value) == (
        "designer.wait cannot run here: This worker does not declare the 'desktop' capability "
        "designer steps need. Start a Celery worker on a machine with a desktop session, "
        "consuming the 'designer' queue with WORKER_CAPABILITIES=desktop (make worker-designer)."
    )
    assert failure.value.retryable is False


def test_a_desktop_worker_without_a_display(desktop, harness, monkeypatch):
    monkeypatch.delenv("DISPLAY")

    with pytest.raises(StepError, match="declares 'desktop' but has no DISPLAY"):
        harness().step("designer.close")


def test_missing_xdotool_is_named(desktop, harness, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")

    with pytest.raises(StepError, match=r"'xdotool' is not installed on this desktop worker"):
        harness().step("designer.close")
