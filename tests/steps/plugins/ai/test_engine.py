"""AI steps in a real run: a vault key named in the playbook, Chromium, the fake provider."""

import pytest

from apps.credentials.models import CredentialKind
from tests.credentials.factories import CredentialFactory
from tests.executions.factories import playbook
from tests.steps.plugins.ai.provider import ANTHROPIC_KEY

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

STEPS = """
    - id: open
      name: Open the form
      type: browser.navigate
      parameters: {{url: "{url}"}}
    - id: check
      name: Check with AI
      type: perspective.verify_with_ai
      parameters:
        prompt: A form with a Go button
        selector: "#go"
{credential}
"""


def test_a_run_uses_the_named_vault_key_and_records_the_verdict(
    team, editor, provider, site, run_in_process
):
    CredentialFactory(
        team=team,
        name="claude",
        kind=CredentialKind.AI_API_KEY,
        secret=ANTHROPIC_KEY,
        gateway_url=provider.url,
        owner=editor,
    )
    provider.verdict(True, 0.9, "The Go button is there.")
    steps = STEPS.format(url=site.url("/form.html"), credential="        ai_credential: claude")

    execution = run_in_process(playbook(team, steps)).wait(60)

    assert execution.status == "completed", execution.status_reason
    check = execution.steps.get(step_id="check")
    assert check.outputs["passed"] is True
    assert check.outputs["explanation"] == "The Go button is there."
    assert provider.requests[-1]["headers"]["x-api-key"] == ANTHROPIC_KEY


def test_a_run_without_any_key_fails_with_the_clear_message(team, site, run_in_process):
    steps = STEPS.format(url=site.url("/form.html"), credential="")

    execution = run_in_process(playbook(team, steps)).wait(60)

    assert execution.status == "failed"
    assert "No AI API key is configured" in execution.steps.get(step_id="check").error
