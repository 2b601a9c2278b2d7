"""Which key, provider, model and base URL an AI step uses; parameter checks; no-key failures."""

import pytest

from apps.credentials.models import CredentialKind
from apps.executions.engine.credentials import RunCredentials
from apps.executions.engine.masking import Masker
from apps.executions.services.launch import execution_start
from apps.steps.errors import StepError
from apps.steps.plugins.ai.keys import NO_KEY, ai_settings, guess_provider
from apps.steps.plugins.ai.providers import SHAPES, endpoint, error_text
from tests.credentials.factories import CredentialFactory
from tests.executions.factories import playbook
from tests.steps.plugins.ai.conftest import ai_key
from tests.steps.plugins.browser.harness import Harness

VERIFY, ANALYZE = "perspective.verify_with_ai", "perspective.analyze_with_ai"
STEP = "- id: hello\n  name: Hello\n  type: utility.log\n  parameters: {message: hi}\n"


def settings_of(run: Harness, **values):
    return ai_settings(run.context(), values)


def harness_of(execution, folder) -> Harness:
    """A step context of ``execution`` with the engine's credential resolver."""
    resolver = RunCredentials(execution, Masker())
    return Harness(folder, execution_id=str(execution.pk), credentials=resolver)


def test_no_key_configured_fails_clearly_before_opening_a_browser(bare_run):
    with pytest.raises(StepError) as failure:
        bare_run.step(VERIFY, prompt="A form")

    assert str(failure.value) == NO_KEY
    assert "credential of kind 'AI provider API key'" in NO_KEY
    assert failure.value.retryable is False
    assert bare_run.resources.peek("browser") is None


def test_the_ai_key_among_the_playbook_parameters_is_used(bare_run):
    bare_run.parameters.update(login=ai_key(kind="username_password", name="gw"), ai=ai_key())

    chosen = settings_of(bare_run)

    assert (chosen.provider, chosen.model, chosen.credential) == (
        "anthropic",
        "claude-sonnet-4-5",
        "ai",
    )
    assert chosen.base_url == "https://api.anthropic.com"
    assert "sk-ant" not in repr(chosen)


def test_several_keys_need_a_name(bare_run):
    bare_run.parameters.update(one=ai_key(name="one"), two=ai_key(name="two", openai=True))

    with pytest.raises(StepError, match=r"Several AI API key credentials \(one, two\)"):
        settings_of(bare_run)
    assert settings_of(bare_run, ai_credential="two").provider == "openai"


def test_a_named_credential_that_does_not_exist(bare_run):
    with pytest.raises(StepError, match="No credential named 'nope' for this run"):
        settings_of(bare_run, ai_credential="nope")


def test_a_credential_of_another_kind_is_refused(bare_run):
    with pytest.raises(StepError, match="'gw' is not an 'AI provider API key' credential"):
        settings_of(bare_run, ai_credential=ai_key(kind="api_token", name="gw"))


def test_an_empty_key_is_refused(bare_run):
    empty = ai_key()
    empty = type(empty)(**{**empty.__dict__, "secret": "  "})

    with pytest.raises(StepError, match="holds no key"):
        settings_of(bare_run, ai_credential=empty)


def test_provider_model_and_base_url_come_from_the_credential(bare_run):
    key = ai_key(
        "http://llm.local:11434/",
        description="Local vision server\nprovider: OpenAI\nmodel = llava:13b\n",
    )

    chosen = settings_of(bare_run, ai_credential=key)
    override = settings_of(bare_run, ai_credential=key, ai_model="qwen2-vl")

    assert (chosen.provider, chosen.model, chosen.base_url) == (
        "openai",
        "llava:13b",
        "http://llm.local:11434",
    )
    assert override.model == "qwen2-vl"
    assert endpoint(chosen.base_url, "chat/completions") == (
        "http://llm.local:11434/v1/chat/completions"
    )


def test_an_unknown_provider_is_refused(bare_run):
    with pytest.raises(StepError, match="names provider 'gemini': use one of anthropic, openai"):
        settings_of(bare_run, ai_credential=ai_key(description="provider=gemini"))


@pytest.mark.parametrize(
    ("key", "provider"),
    [("sk-ant-api03-x", "anthropic"), ("sk-proj-x", "openai"), ("local-key", "anthropic")],
)
def test_the_provider_is_guessed_from_the_key(key, provider):
    assert guess_provider(key) == provider


def test_endpoints_and_error_texts():
    assert endpoint("https://api.anthropic.com", "messages") == (
        "https://api.anthropic.com/v1/messages"
    )
    assert endpoint("https://gw.example/openai/v1/", "chat/completions") == (
        "https://gw.example/openai/v1/chat/completions"
    )
    assert error_text({"error": {"type": "overloaded_error"}}) == "overloaded_error"
    assert error_text({"message": "flat"}) == "flat"
    assert error_text("text") == ""
    parts = {"choices": [{"message": {"content": [{"type": "text", "text": "a"}, {"text": "b"}]}}]}
    assert SHAPES["openai"].text(parts) == "ab"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, "perspective.verify_with_ai needs 'prompt'"),
        ({"prompt": "x", "colour": "red"}, "does not take colour"),
        ({"prompt": "x", "confidence_threshold": "high"}, "must be a number, not 'high'"),
        ({"prompt": "x", "confidence_threshold": True}, "must be a number"),
        ({"prompt": "x", "confidence_threshold": -0.5}, "must be at least 0, not -0.5"),
        ({"prompt": "x", "confidence_threshold": 80}, "a fraction from 0 to 1, not 80"),
        ({"prompt": "x", "ai_credential": " "}, "'ai_credential' must name a vault credential"),
        ({"prompt": "x", "ai_credential": 3}, "'ai_credential' must name a vault credential"),
    ],
)
def test_bad_parameters(bare_run, params, expected):
    with pytest.raises(StepError, match=expected) as failure:
        bare_run.step(VERIFY, **params)

    assert failure.value.retryable is False


def test_a_legacy_key_parameter_is_ignored_with_a_warning(bare_run):
    with pytest.raises(StepError, match="No AI API key is configured"):
        bare_run.step(ANALYZE, prompt="x", ai_api_key="sk-ant-in-a-playbook")

    (warning,) = [m for level, m in bare_run.logs if level == "warning"]
    assert warning.startswith("Ignored parameter 'ai_api_key': AI keys are never playbook")
    assert "sk-ant-in-a-playbook" not in warning


@pytest.mark.django_db
def test_the_vault_supplies_the_team_key_by_kind_or_name(tmp_path, team, editor, operator):
    pb = playbook(team, STEP)
    execution = execution_start(pb, actor=operator)
    run = harness_of(execution, tmp_path)
    common = {"team": team, "kind": CredentialKind.AI_API_KEY, "owner": editor}
    CredentialFactory(name="gw", **{**common, "kind": CredentialKind.USERNAME_PASSWORD})
    CredentialFactory(name="private", shared=False, secret="sk-ant-private", **common)

    with pytest.raises(StepError, match="No AI API key is configured"):
        settings_of(run)  # the private key of another user is not the operator's to use

    CredentialFactory(name="claude", secret="sk-ant-team", description="model=claude-x", **common)
    chosen = settings_of(run)
    assert (chosen.credential, chosen.key, chosen.model) == ("claude", "sk-ant-team", "claude-x")

    CredentialFactory(name="gpt", secret="sk-proj-team", **common)
    with pytest.raises(StepError, match=r"Several AI API key credentials \(claude, gpt\)"):
        settings_of(run)
    assert settings_of(run, ai_credential="gpt").provider == "openai"
    with pytest.raises(StepError, match="No credential named 'private'"):
        settings_of(run, ai_credential="private")


@pytest.mark.django_db
def test_a_run_whose_requester_is_gone_uses_no_vault_key(tmp_path, team, editor, operator):
    pb = playbook(team, STEP)
    execution = execution_start(pb, actor=operator)
    execution.requested_by = None
    execution.save(update_fields=["requested_by"])
    CredentialFactory(
        team=team, name="private", kind=CredentialKind.AI_API_KEY, owner=editor, shared=False
    )

    with pytest.raises(StepError, match="No AI API key is configured"):
        settings_of(harness_of(execution, tmp_path))


def test_a_context_without_a_credential_resolver_has_no_vault(tmp_path):
    run = Harness(tmp_path, execution_id="00000000-0000-0000-0000-000000000000")

    with pytest.raises(StepError, match="No AI API key is configured"):
        settings_of(run)
