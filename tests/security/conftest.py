"""Fixtures of the security tests: live simulators on private ports, a private credential."""

from tests.gateways.client.conftest import sim, sim81, sim_factory  # noqa: F401 - fixtures
from tests.security.private_credential import olga, private  # noqa: F401 - fixtures
