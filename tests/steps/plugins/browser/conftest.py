"""Fixtures of the browser step tests: a local site and a run with a real Chromium."""

import pytest

from tests.steps.plugins.browser.harness import Harness
from tests.steps.plugins.browser.site import Site


@pytest.fixture(scope="package")
def site():
    served = Site()
    yield served
    served.stop()


@pytest.fixture(scope="module")
def shared_run(tmp_path_factory):
    """One browser for a whole test module (launching Chromium per test is slow)."""
    run = Harness(tmp_path_factory.mktemp("browser-run"))
    yield run
    run.close()


@pytest.fixture
def browser_run(shared_run):
    shared_run.artifacts.clear()
    shared_run.logs.clear()
    return shared_run


@pytest.fixture
def own_run(tmp_path):
    """A run of its own, closed by the test or at its end."""
    run = Harness(tmp_path)
    yield run
    run.close()
