"""Fixtures of the Perspective step tests: a served gateway simulator and a real Chromium run.

The run fixtures are the browser step tests' own (one Chromium per test module).
"""

import pytest

from apps.simulator.config import SimConfig
from tests.simulator.conftest import LiveSimulator
from tests.steps.plugins.browser.conftest import browser_run, own_run, shared_run  # noqa: F401


class Perspective:
    """The simulator's Perspective client: ``url(page)`` of a SimDemo view."""

    def __init__(self) -> None:
        self.simulator = LiveSimulator(SimConfig()).start()
        self.base = self.simulator.url

    def url(self, page: str = "", project: str = "SimDemo") -> str:
        return f"{self.base}/data/perspective/client/{project}/{page}"

    def stop(self) -> None:
        self.simulator.stop()


@pytest.fixture(scope="package")
def perspective():
    served = Perspective()
    yield served
    served.stop()


@pytest.fixture
def on_page(browser_run, perspective):  # noqa: F811 - the imported fixture
    """``on_page(view)``: the shared run with the view open."""

    def open_view(page: str = ""):
        browser_run.step("browser.navigate", url=perspective.url(page))
        browser_run.step("browser.wait", selector="#app-container")
        return browser_run

    return open_view
