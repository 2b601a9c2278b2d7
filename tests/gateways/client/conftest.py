"""Fixtures of the gateway client tests: live simulators of both versions."""

import contextlib

import httpx
import pytest

from tests.gateways.client.sim import start_sim


@pytest.fixture
def sim_factory():
    """``sim_factory(version="8.1.x", ...)`` serves a fresh simulator for this test."""
    started = []
    yield lambda **values: start_sim(started, **values)
    for simulator in started:
        with contextlib.suppress(httpx.TransportError):
            simulator.clear_faults()  # releases hung requests so the server stops at once
        simulator.stop()


@pytest.fixture
def sim(sim_factory):
    return sim_factory()


@pytest.fixture
def sim81(sim_factory):
    return sim_factory(version="8.1.x")
