"""Fixtures of the FAT report tests: the Perspective tests' simulator and browser runs."""

import pytest

from tests.steps.plugins.perspective.conftest import (  # noqa: F401 - fixtures
    browser_run,
    on_page,
    own_run,
    perspective,
    shared_run,
)

MANIFEST = [
    {"component_id": "increment", "selector": "#increment-button", "expected": "Clicks: 1"},
    {"component_id": "missing", "selector": "#missing", "timeout": 200},
]


@pytest.fixture
def tested(on_page):  # noqa: F811 - the imported fixture
    """A run that executed a manifest (one pass, one failure): ``(run, outputs)``."""
    run = on_page("")
    return run, run.step("perspective.execute_test_manifest", manifest=MANIFEST, step_timeout=30)
