"""Fixtures of the AI step tests: a fake provider, a local page and runs with real Chromium."""

import pytest

from apps.credentials.services import ResolvedCredential
from tests.steps.plugins.ai.provider import ANTHROPIC_KEY, OPENAI_KEY, FakeProvider
from tests.steps.plugins.browser.harness import Harness
from tests.steps.plugins.browser.site import Site


def ai_key(provider_url: str = "", *, openai=False, name="ai", description="", kind="ai_api_key"):
    """An 'AI API key' credential as the engine hands it to steps."""
    return ResolvedCredential(
        name=name,
        kind=kind,
        username="",
        gateway_url=provider_url,
        description=description or ("provider=openai" if openai else ""),
        secret=OPENAI_KEY if openai else ANTHROPIC_KEY,
    )


@pytest.fixture(scope="package")
def shared_provider():
    fake = FakeProvider()
    yield fake
    fake.stop()


@pytest.fixture
def provider(shared_provider):
    """The package's fake provider with an empty request log and a plain reply."""
    shared_provider.requests.clear()
    shared_provider.reply("ok")
    return shared_provider


@pytest.fixture(scope="package")
def site():
    served = Site()
    yield served
    served.stop()


@pytest.fixture(scope="module")
def page_run(tmp_path_factory, site):
    """One Chromium for a module, on the local form page."""
    run = Harness(tmp_path_factory.mktemp("ai-run"))
    run.step("browser.navigate", url=site.url("/form.html"))
    yield run
    run.close()


@pytest.fixture
def ai_run(page_run):
    page_run.artifacts.clear()
    page_run.logs.clear()
    page_run.parameters.clear()
    return page_run


@pytest.fixture
def bare_run(tmp_path):
    """A run that never opens a browser (for failures that come first)."""
    run = Harness(tmp_path)
    yield run
    run.close()
