"""Fixtures of the designer step tests: a fake desktop, a launcher gateway, run harnesses."""

import pytest

from tests.gateways.client.conftest import sim, sim81, sim_factory  # noqa: F401 - fixtures
from tests.steps.plugins.browser.harness import Harness
from tests.steps.plugins.designer.fakes import FakeDesktop
from tests.steps.plugins.designer.gateway import LauncherGateway


@pytest.fixture
def desktop(tmp_path, monkeypatch, settings):
    """A desktop worker: the capability declared, DISPLAY set, fake xdotool/import on PATH."""
    fake = FakeDesktop(tmp_path / "desktop")
    for name, value in fake.environment().items():
        monkeypatch.setenv(name, value)
    settings.WORKER_CAPABILITIES = ["desktop"]
    return fake


@pytest.fixture
def launcher_gateway():
    gateway = LauncherGateway()
    yield gateway
    gateway.stop()


@pytest.fixture
def harness(tmp_path):
    """``harness(parameters)``: a run whose playbook parameters are ``parameters``."""
    runs = []

    def make(parameters: dict | None = None) -> Harness:
        # The tests' launchers lie in tmp_path: an allowed input folder (WORKER_INPUT_DIRS).
        run = Harness(tmp_path / f"run{len(runs)}", parameters, input_dirs=(tmp_path,))
        runs.append(run)
        return run

    yield make
    for run in runs:
        run.close()
