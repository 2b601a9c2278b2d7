"""Fixtures of the batch tests: served simulators and a real worker that could run three
runs at once, so only the batch's own limit holds them back."""

import time

import pytest

from tests.gateways.client.conftest import sim_factory  # noqa: F401 - fixture


@pytest.fixture
def wide_worker(celery_workers):
    return celery_workers(name=f"batches-{time.monotonic_ns()}", concurrency=3)
