"""Shared fixtures: personas for access tests and per-app fixture plugins."""

pytest_plugins = [
    "tests.accounts.fixtures",
    "tests.fixtures.browser",
    "tests.fixtures.processes",
]
