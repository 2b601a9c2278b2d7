"""Shared fixtures: personas for access tests and per-app fixture plugins."""

import pytest
from django.core.cache import cache

pytest_plugins = [
    "tests.accounts.fixtures",
    "tests.credentials.fixtures",
    "tests.gateways.fixtures",
    "tests.playbooks.fixtures",
    "tests.executions.fixtures",
    "tests.fixtures.browser",
    "tests.fixtures.processes",
    "tests.fixtures.object_store",
    "tests.fixtures.servers",
]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Login failure counts and API throttles live in the (Redis) cache: start each test clean."""
    cache.clear()
    yield
    cache.clear()


def pytest_addoption(parser):
    parser.addoption(
        "--skip-slow",
        action="store_true",
        help="Leave out the tests marked slow (whole-process, chaos and soak tests); CI runs them.",
    )


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--skip-slow"):
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        items[:] = [item for item in items if not item.get_closest_marker("slow")]
        config.hook.pytest_deselected(items=slow)


def pytest_report_header(config):
    if config.getoption("--skip-slow"):
        return "--skip-slow: tests marked slow are deselected (CI runs them all)"
    return None
