"""The AI step's key comes through the run's credential resolver, so the run masks it."""

import ast
import json
from pathlib import Path

import pytest

import apps.steps.plugins.ai.keys as keys_module
from apps.accounts.models import AuditEntry
from apps.credentials.models import CredentialKind
from apps.executions.models import ExecutionEvent, StepRun
from tests.credentials.factories import CredentialFactory
from tests.executions.factories import playbook
from tests.steps.plugins.ai.provider import FakeProvider
from tests.steps.plugins.browser.site import Site

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

KEY = "sk-ant-echoed-9f3k2"
STEPS = """
- id: open
  name: Open the form
  type: browser.navigate
  parameters: {{url: "{url}"}}
- id: ask
  name: Ask the model
  type: perspective.analyze_with_ai
  parameters:
    prompt: What is on the page?
{credential}
"""


class EchoingProvider(FakeProvider):
    """A provider that accepts any key and answers with the key it was sent."""

    def answer(self, path, headers, script):
        key = headers.get("x-api-key", "")
        return 200, {"type": "message", "content": [{"type": "text", "text": f"key={key}"}]}


@pytest.fixture(scope="module")
def echo():
    provider = EchoingProvider()
    yield provider
    provider.stop()


@pytest.fixture(scope="module")
def page():
    served = Site()
    yield served
    served.stop()


def stored(execution) -> str:
    steps = list(StepRun.objects.filter(execution=execution).values("outputs", "error"))
    events = list(ExecutionEvent.objects.filter(execution=execution).values("payload"))
    return json.dumps([steps, events, execution.status_reason, execution.variables])


@pytest.mark.parametrize(
    "credential", ["    ai_credential: claude", ""], ids=["named", "found_by_kind"]
)
def test_the_ai_key_is_masked_in_outputs_and_events(
    team, editor, operator, echo, page, run_in_process, credential
):
    CredentialFactory(
        team=team,
        name="claude",
        kind=CredentialKind.AI_API_KEY,
        secret=KEY,
        gateway_url=echo.url,
        owner=editor,
    )
    steps = STEPS.format(url=page.url("/form.html"), credential=credential)

    execution = run_in_process(playbook(team, steps)).wait(60)

    assert execution.status == "completed", execution.status_reason
    assert echo.requests[-1]["headers"]["x-api-key"] == KEY
    assert execution.steps.get(step_id="ask").outputs["analysis"] == "key=[SECURE]"
    assert KEY not in stored(execution)
    use = AuditEntry.objects.get(action="credential.use")
    assert use.details["purpose"].startswith(f"execution {execution.pk}")
    assert use.actor == operator


def test_the_ai_plugin_reaches_no_model_nor_audit_service():
    tree = ast.parse(Path(keys_module.__file__).read_text(encoding="utf-8"))
    imported = {
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }

    forbidden = {
        "apps.executions.models.Execution",
        "apps.credentials.models.Credential",
        "apps.credentials.selectors.credential_list_for_user",
        "apps.credentials.services.credential_resolve",
    }
    assert imported & forbidden == set()
