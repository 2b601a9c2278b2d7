"""Launcher files (gateway downloads from a local server and the simulator, archives, command
lines) and the xdotool runner's failure modes."""

import io
import tarfile
import time

import pytest

from apps.credentials.services import ResolvedCredential
from apps.executions.engine.context import Scope, StepContext
from apps.executions.engine.control import RunControl, StepInterrupted
from apps.executions.engine.resources import Resources
from apps.steps.errors import StepError
from apps.steps.plugins.designer.desktop import Desktop
from apps.steps.plugins.designer.launcher import (
    launch_command,
    launcher_path,
    shortcut_command,
)
from tests.gateways.client.sim import TOKEN as SIM_TOKEN
from tests.steps.plugins.browser.harness import interrupt_later
from tests.steps.plugins.designer.gateway import PATH, TOKEN


def token(url: str, secret: str = TOKEN) -> ResolvedCredential:
    return ResolvedCredential(
        name="key", kind="api_token", username="", gateway_url=url, description="", secret=secret
    )


@pytest.fixture
def make_context(tmp_path):
    """``make_context(parameters, control)``: a real StepContext of a step attempt."""
    made = []

    def make(parameters=None, control=None) -> StepContext:
        control = control or RunControl()
        control.begin_step(30)
        resources = Resources()
        made.append(resources)
        return StepContext(
            execution_id="exec-designer-tests",
            step_id="launch",
            step_type="designer.launch",
            path="0",
            timeout_seconds=30,
            control=control,
            scope=Scope(parameters=dict(parameters or {})),
            artifacts_dir=tmp_path / "artifacts",
            resources=resources,
            allow_python=False,
            write_log=lambda level, message: None,
            wait_while_paused=lambda: None,
            save_artifact=lambda *args, **kwargs: None,
            input_dirs=(tmp_path,),  # the tests' launchers and archives lie there
        )

    yield make
    for resources in made:
        resources.close()


def archive(tmp_path, members: dict[str, str]):
    path = tmp_path / "bundle.tar.gz"
    with tarfile.open(path, "w:gz") as bundle:
        for name, text in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(text)
            bundle.addfile(info, io.BytesIO(text.encode()))
    return path


def test_a_download_without_a_content_disposition_is_named_after_the_path(
    launcher_gateway, make_context
):
    context = make_context({"key": token(launcher_gateway.url)})

    path = launcher_path(context, launcher_gateway.url + PATH.replace("x64", "raw"))

    assert path.name == "raw"
    assert path.read_bytes() == b"#!/bin/sh\necho raw\n"
    assert launch_command(path) == [str(path)]
    assert path.stat().st_mode & 0o100


@pytest.mark.parametrize(
    ("secret", "path", "expected"),
    [
        (
            "wrong:token",
            PATH,
            r"Could not download the launcher: GET /data/api/v1/launcher/download/"
            r"designer/linux/x64 answered HTTP 401",
        ),
        (
            TOKEN,
            PATH.replace("designer", "vision"),
            r"answered HTTP 404.* \(the gateway does not "
            r"serve launchers there\)",
        ),
    ],
)
def test_download_failures_are_explained(launcher_gateway, make_context, secret, path, expected):
    context = make_context({"gateway_url": launcher_gateway.url, "key": token("", secret)})

    with pytest.raises(StepError, match=expected):
        launcher_path(context, path)


def test_the_simulator_has_no_launcher_route(sim, make_context):
    """The 8.3 simulator knows the route but answers 501; the step says so."""
    context = make_context({"gateway_url": sim.url, "key": token(sim.url, SIM_TOKEN)})

    with pytest.raises(
        StepError, match=r"HTTP 501.*\(the gateway does not serve launchers there\)"
    ):
        launcher_path(context, PATH)


def test_an_81_gateway_has_no_rest_download(sim81, make_context):
    context = make_context({"gateway_url": sim81.url})

    with pytest.raises(StepError, match="Ignition 8.1 has no REST API to download"):
        launcher_path(context, PATH)


def test_local_files_and_run_artifacts(tmp_path, make_context):
    context = make_context()
    (tmp_path / "artifacts").mkdir()
    (tmp_path / "artifacts" / "launcher.jnlp").write_text("<jnlp/>")

    assert launcher_path(context, "launcher.jnlp") == tmp_path / "artifacts" / "launcher.jnlp"
    with pytest.raises(StepError, match="'launcher_file': no file 'x.sh' in this run's folder"):
        launcher_path(context, "x.sh")
    with pytest.raises(StepError, match="'launcher_file' is outside this run's folder: '/no/x.sh'"):
        launcher_path(context, "/no/x.sh")


def test_archives_without_a_launcher_or_not_archives(tmp_path, make_context):
    context = make_context()
    empty = archive(tmp_path, {"readme.txt": "hi"})
    broken = tmp_path / "broken.tgz"
    broken.write_text("not gzip")

    with pytest.raises(StepError, match="'bundle.tar.gz' holds no designerlauncher script"):
        launcher_path(context, str(empty))
    with pytest.raises(StepError, match="'broken.tgz' is not a readable launcher archive"):
        launcher_path(context, str(broken))


def test_an_archive_prefers_the_shell_script(tmp_path, make_context):
    bundle = archive(tmp_path, {"a/designerlauncher": "bin", "a/b/designerlauncher.sh": "sh"})

    assert launcher_path(make_context(), str(bundle)).name == "designerlauncher.sh"


def test_launch_commands(tmp_path, monkeypatch):
    jnlp, jar, exe = (tmp_path / n for n in ("d.jnlp", "d.jar", "designerlauncher.exe"))
    monkeypatch.setattr("shutil.which", lambda name: f"/opt/java/bin/{name}")

    assert launch_command(jnlp) == ["/opt/java/bin/javaws", str(jnlp)]
    assert launch_command(jar) == ["/opt/java/bin/java", "-jar", str(jar)]
    with pytest.raises(StepError, match="'designerlauncher.exe' is a Windows launcher"):
        launch_command(exe)
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(StepError, match="'javaws' is not installed on this worker: a .jnlp"):
        launch_command(jnlp)


def test_shortcut_command_lines():
    line = "'/opt/Designer Launcher/designerlauncher.sh' -Dapplication=\"Line 1\" -Dapp.home=/x"

    assert shortcut_command(line) == [
        "/opt/Designer Launcher/designerlauncher.sh",
        "-Dapplication=Line 1",
        "-Dapp.home=/x",
    ]
    for bad_line, expected in [
        ("   ", "'designer_shortcut' is empty"),
        ("'unclosed", "not a valid command line: No closing quotation"),
        ("designerlauncher.exe -Dapplication=x", "is a Windows launcher"),
    ]:
        with pytest.raises(StepError, match=expected):
            shortcut_command(bad_line)


def test_desktop_command_failures(desktop, make_context):
    screen = Desktop(make_context())

    with pytest.raises(StepError, match="'xdotool fail' failed: cannot open display"):
        screen.xdotool("fail")
    with pytest.raises(StepError, match=r"'xdotool windowactivate' failed \(exit code 1\)"):
        screen.activate("999")
    with pytest.raises(StepError, match=r"Could not capture window 999 \(import exit code 1\)"):
        screen.screenshot("999")
    started = time.monotonic()
    with pytest.raises(StepError, match="'xdotool sleep' did not finish within 0.3 s"):
        screen.run(["xdotool", "sleep", "20"], timeout=0.3)
    assert time.monotonic() - started < 10  # not the command's 20 s


def test_cancel_kills_a_hanging_command(desktop, make_context):
    control = RunControl()
    screen = Desktop(make_context(control=control))
    interrupt_later(control, 0.3)

    started = time.monotonic()
    with pytest.raises(StepInterrupted):
        screen.run(["xdotool", "sleep", "20"])

    assert time.monotonic() - started < 10  # not the command's 20 s
