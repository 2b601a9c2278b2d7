"""Fixtures of the security tests: live simulators (both versions) on private ports."""

from tests.gateways.client.conftest import sim, sim81, sim_factory  # noqa: F401 - fixtures
