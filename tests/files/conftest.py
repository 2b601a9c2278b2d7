import pytest

from tests.gateways.client.conftest import sim, sim_factory  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def artifacts_here(settings, tmp_path):
    """The local store (the default): this test's own data folder."""
    settings.ARTIFACTS_ROOT = tmp_path / "artifacts"
    return settings.ARTIFACTS_ROOT
