"""A third-party step package runs like a built-in step type.

The sample package under ``tests/steps/sample_plugin`` (its own ``pyproject.toml``, entry point
group ``ignition_portal.steps``) is built and installed into a throwaway virtualenv; a Celery
worker started with that virtualenv's Python runs a playbook using its step, launched through
``execution_start`` as the web and the API launch runs.
"""

import shutil
import site
import subprocess
import sys
import time
from pathlib import Path

import pytest

from apps.executions.models import Execution, ExecutionStatus
from apps.executions.services.launch import execution_start
from apps.steps import registry
from tests.executions.factories import playbook as make_playbook
from tests.fixtures import processes
from tests.fixtures.processes import QUIET_WORKER, REPOSITORY, Worker

SAMPLE = Path(__file__).resolve().parent / "sample_plugin"
GREET_PLAYBOOK = """
    - id: greet
      name: Greet the operator
      type: sample.greet
      parameters: {name: "{{ operator }}", times: 2}
    - id: echo
      name: Log the greeting
      type: utility.log
      parameters: {message: "Said: {{ step.greet.greeting }}"}
"""


class VirtualenvWorker(Worker):
    """A ``celery worker`` run by another virtualenv's Python (on the test broker and DB)."""

    def __init__(self, python: Path, env: dict[str, str], *, name: str) -> None:
        self.name = name
        command = [
            *(str(python), "-m", "celery", "-A", "toolkit_project", "worker"),
            *("-Q", "executions,default", "-c", "1", "-n", f"{name}@%h"),
            *("--loglevel", "WARNING", *QUIET_WORKER, "--purge"),
        ]
        processes.Child.__init__(self, command, env, None)
        self.wait_until(self.answers, "The Celery worker of the plugin's virtualenv")


def install_sample(tmp_path: Path) -> Path:
    """Build and install the sample package into a new virtualenv; its site-packages folder.

    The virtualenv sees this project's packages through a ``.pth`` file (Django, Celery, the
    portal's own ``apps`` come from the working tree, as for any worker started in it).
    """
    source = shutil.copytree(SAMPLE, tmp_path / "sample_plugin")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", venv], check=True)
    packages = next((venv / "lib").glob("python3*/site-packages"))
    (packages / "portal.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    subprocess.run(
        [venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-deps"]
        + ["--no-build-isolation", "--no-index", source],
        check=True,
    )
    return packages


@pytest.fixture
def sample_installed(tmp_path, monkeypatch, django_db_blocker):
    """The sample package installed in a virtualenv, this process seeing it too (the launch
    validates the playbook here), and a worker of that virtualenv."""
    packages = install_sample(tmp_path)
    monkeypatch.syspath_prepend(str(packages))
    registry.reset_registry()
    with django_db_blocker.unblock():
        env = processes.test_process_environment()
    worker = VirtualenvWorker(packages.parents[2] / "bin" / "python", env, name="pytest-plugin")
    yield worker
    worker.stop()
    registry.reset_registry()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_step_of_a_third_party_package_runs_on_a_worker_like_a_built_in(
    team, operator, sample_installed
):
    book = make_playbook(team, GREET_PLAYBOOK, parameters="- {name: operator, type: string}\n")

    execution = execution_start(book, actor=operator, parameters={"operator": "Ada"})
    deadline = time.monotonic() + 120
    while not (finished := Execution.objects.get(pk=execution.pk)).is_finished:
        assert time.monotonic() < deadline, f"still {finished.status}"
        time.sleep(0.1)

    assert (finished.status, finished.status_reason) == (ExecutionStatus.COMPLETED, "")
    assert finished.worker_hostname.startswith("pytest-plugin@")
    greet, echo = finished.steps.order_by("position")
    assert (greet.type, greet.status, greet.outputs) == (
        "sample.greet",
        "completed",
        {"greeting": "Hello, Ada!"},
    )
    assert echo.outputs["logged"] == "Said: Hello, Ada!"
    messages = [event.payload["message"] for event in finished.events.filter(type="log")]
    assert messages.count("Hello, Ada!") == 2
    assert "Said: Hello, Ada!" in messages
    assert REPOSITORY.joinpath("tests/steps/sample_plugin/build").exists() is False
