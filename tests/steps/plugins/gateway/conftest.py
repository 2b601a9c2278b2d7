"""Fixtures of the gateway step tests: live simulators and a run harness per test."""

import pytest

from tests.gateways.client.conftest import sim, sim81, sim_factory  # noqa: F401 - fixtures
from tests.steps.plugins.browser.harness import Harness


@pytest.fixture
def harness(tmp_path):
    """``harness(parameters)``: a run whose playbook parameters are ``parameters``."""
    runs = []

    def make(parameters: dict | None = None) -> Harness:
        run = Harness(tmp_path / f"run{len(runs)}", parameters)
        runs.append(run)
        return run

    yield make
    for run in runs:
        run.close()
