"""utility.python runs in a bubblewrap sandbox: only its run folder, no data, no network."""

import os
import socket
import tempfile
import uuid
from pathlib import Path

import pytest
import yaml
from django.conf import settings as django_settings

from apps.executions.services.control import execution_cancel
from tests.executions.factories import playbook

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

READ_PATHS = """
def attempt(path):
    try:
        with open(path) as handle:
            return "read:" + handle.read()
    except OSError as error:
        return "denied:" + type(error).__name__

for name, path in inputs["paths"].items():
    print(name + "=" + attempt(path))
"""

CONNECT = """
import socket
try:
    with socket.create_connection(("127.0.0.1", inputs["port"]), timeout=5) as connection:
        connection.sendall(b"from the script")
    print("NET=connected")
except OSError as error:
    print("NET=failed:" + type(error).__name__)
"""

# Starts a grandchild that would outlive a kill of the script alone, then waits forever.
SPAWN_AND_WAIT = """
import subprocess, sys, time
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", inputs["marker"]])
open("started.txt", "w").write("yes")
while True:
    time.sleep(0.01)
"""


@pytest.fixture(autouse=True)
def _python_steps_on(settings):
    settings.ALLOW_PYTHON_STEPS = True


def python_book(team, script: str, *, timeout: float | None = None, **parameters):
    step = {"id": "script", "name": "Script", "type": "utility.python"}
    step["parameters"] = {"script": script, **parameters}
    if timeout is not None:
        step["timeout"] = timeout
    return playbook(team, yaml.safe_dump([step], sort_keys=False))


def run_script(team, run_in_process, script: str, **parameters):
    execution = run_in_process(python_book(team, script, **parameters)).wait()
    assert execution.status == "completed", execution.status_reason
    return execution, execution.steps.get(step_id="script").outputs


@pytest.fixture
def markers():
    """Write secret-looking marker files (removed afterwards); yields a writer."""
    written: list[Path] = []

    def write(folder: Path, prefix: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=folder, prefix=prefix)
        os.write(handle, f"MARKER-{uuid.uuid4().hex}".encode())
        os.close(handle)
        written.append(Path(name))
        return Path(name)

    yield write
    for path in written:
        path.unlink(missing_ok=True)


def assert_denied(outputs: dict, *names: str) -> None:
    for name in names:
        assert outputs[name].startswith("denied:"), f"{name}: {outputs[name][:80]}"


# Files -----------------------------------------------------------------------------------------
def test_a_script_cannot_read_the_data_folder_nor_another_runs_folder(
    team, run_in_process, markers
):
    other_run = Path(django_settings.ARTIFACTS_ROOT) / str(uuid.uuid4())
    paths = {
        "DATA": str(markers(Path(django_settings.DATA_DIR), "secrets-")),
        "OTHER_RUN": str(markers(other_run, "report-")),
    }

    _, outputs = run_script(team, run_in_process, READ_PATHS, inputs={"paths": paths})

    assert_denied(outputs, "DATA", "OTHER_RUN")


def test_a_script_cannot_read_the_home_folder_nor_the_repository(team, run_in_process, markers):
    paths = {
        "HOME": str(markers(Path.home(), ".sandbox-marker-")),
        "SETTINGS": str(Path(django_settings.BASE_DIR) / "toolkit_project/settings/base.py"),
        "ENGINE": str(Path(django_settings.BASE_DIR) / "apps/executions/engine/runner.py"),
    }

    _, outputs = run_script(team, run_in_process, READ_PATHS, inputs={"paths": paths})

    assert_denied(outputs, "HOME", "SETTINGS", "ENGINE")


def test_a_script_writes_in_its_run_folder_which_is_its_working_folder(team, run_in_process):
    script = """
import os
open("made-by-script.txt", "w").write("written")
print("CWD=" + os.getcwd())
"""

    execution, outputs = run_script(team, run_in_process, script)

    folder = Path(django_settings.ARTIFACTS_ROOT) / str(execution.pk)
    assert outputs["CWD"] == str(folder)
    assert (folder / "made-by-script.txt").read_text() == "written"


def test_the_scripts_tmp_folder_is_private(team, run_in_process, markers):
    host_marker = markers(Path(tempfile.gettempdir()), "host-only-")
    left_by_script = Path(tempfile.gettempdir()) / f"left-by-script-{uuid.uuid4().hex}"
    script = READ_PATHS + "open(inputs['leave'], 'w').write('x')\n"

    _, outputs = run_script(
        team,
        run_in_process,
        script,
        inputs={"paths": {"HOST_TMP": str(host_marker)}, "leave": str(left_by_script)},
    )

    assert_denied(outputs, "HOST_TMP")
    assert not left_by_script.exists()


def test_a_script_sees_no_secret_in_its_environment(team, run_in_process):
    script = "import os\nprint('ENV=' + ','.join(sorted(os.environ)))\n"

    _, outputs = run_script(team, run_in_process, script)

    names = set(outputs["ENV"].split(","))
    assert not names & {"DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEY", "DATABASE_URL", "REDIS_URL"}
    assert names <= {"PATH", "LANG", "HOME", "PWD", "LC_CTYPE"}


# Network ---------------------------------------------------------------------------------------
@pytest.fixture
def listener():
    """A TCP listener on a free local port; ``accepted()`` says whether anyone connected."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(0)

    class Listener:
        port = server.getsockname()[1]

        @staticmethod
        def received() -> bytes | None:
            try:
                connection, _ = server.accept()
            except BlockingIOError:
                return None
            with connection:
                connection.settimeout(5)
                return connection.recv(100)

    yield Listener
    server.close()


def test_a_script_cannot_reach_a_local_listener_by_default(team, run_in_process, listener):
    _, outputs = run_script(team, run_in_process, CONNECT, inputs={"port": listener.port})

    assert outputs["NET"].startswith("failed:")
    assert listener.received() is None


def test_a_script_that_declares_network_reaches_it_where_an_admin_allows_it(
    team, run_in_process, listener, settings
):
    settings.PYTHON_STEPS_NETWORK = True

    _, outputs = run_script(
        team, run_in_process, CONNECT, inputs={"port": listener.port}, network=True
    )

    assert outputs["NET"] == "connected"
    assert listener.received() == b"from the script"


# Stopping --------------------------------------------------------------------------------------
def processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def wait_until_gone(marker: str) -> list[int]:
    """Every process carrying ``marker`` once the kernel has finished killing them."""
    import time

    deadline = time.monotonic() + 10
    while processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    return processes_with(marker)


def test_a_timeout_kills_the_script_and_everything_it_started(team, run_in_process):
    marker = f"sandbox-timeout-{uuid.uuid4().hex}"
    book = python_book(team, SPAWN_AND_WAIT, timeout=3, inputs={"marker": marker})

    execution = run_in_process(book).wait()

    started = Path(django_settings.ARTIFACTS_ROOT) / str(execution.pk) / "started.txt"
    assert execution.steps.get().error == "Step timed out after 3 seconds"
    assert started.exists()
    assert wait_until_gone(marker) == []


def test_a_cancel_kills_the_script_and_everything_it_started(team, operator, run_in_process):
    marker = f"sandbox-cancel-{uuid.uuid4().hex}"
    run = run_in_process(python_book(team, SPAWN_AND_WAIT, inputs={"marker": marker}))
    started = Path(django_settings.ARTIFACTS_ROOT) / str(run.execution.pk) / "started.txt"
    run.wait_for(lambda execution: started.exists())
    assert processes_with(marker)

    execution_cancel(run.execution, actor=operator)
    execution = run.wait()

    assert (execution.status, execution.steps.get().status) == ("cancelled", "cancelled")
    assert wait_until_gone(marker) == []
