"""The Perspective tests' served simulator, for the end-to-end report run."""

from tests.steps.plugins.perspective.conftest import perspective  # noqa: F401 - fixture
