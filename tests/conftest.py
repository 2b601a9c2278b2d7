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
]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Login failure counts and API throttles live in the (Redis) cache: start each test clean."""
    cache.clear()
    yield
    cache.clear()
