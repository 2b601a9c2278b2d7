"""verify_with_ai and analyze_with_ai against the fake provider, with real Chromium screenshots."""

import base64
import time

import pytest

from apps.executions.engine.control import RunControl, StepInterrupted
from apps.steps.errors import StepError
from tests.steps.plugins.ai.conftest import ai_key
from tests.steps.plugins.ai.provider import OPENAI_KEY
from tests.steps.plugins.browser.harness import interrupt_later

VERIFY, ANALYZE = "perspective.verify_with_ai", "perspective.analyze_with_ai"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(params=["anthropic", "openai"])
def key(request, provider):
    return ai_key(provider.url, openai=request.param == "openai")


def sent_image(request: dict) -> bytes:
    """The PNG a recorded request carried, whatever its shape."""
    content = request["body"]["messages"][-1]["content"]
    for part in content:
        if part["type"] == "image":
            assert part["source"]["media_type"] == "image/png"
            return base64.b64decode(part["source"]["data"])
        if part["type"] == "image_url":
            prefix, data = part["image_url"]["url"].split(",", 1)
            assert prefix == "data:image/png;base64"
            return base64.b64decode(data)
    raise AssertionError("no image in the request")


def test_verify_passes_with_a_confident_verdict_in_both_shapes(ai_run, provider, key):
    provider.verdict(True, 0.93, "The form is shown.")

    outputs = ai_run.step(VERIFY, prompt="A form with a Go button", ai_credential=key)

    assert outputs == {
        "status": "passed",
        "passed": True,
        "confidence": 0.93,
        "threshold": 0.8,
        "explanation": "The form is shown.",
        "details": ["a detail"],
    }
    (request,) = provider.requests
    assert sent_image(request).startswith(PNG)
    assert ai_run.kinds("screenshot")[0].name.startswith("ai-verify_with_ai")
    assert ai_run.kinds("screenshot")[0].path.read_bytes() == sent_image(request)
    if key.description:  # OpenAI shape: bearer key, system message, default model
        assert request["path"] == "/v1/chat/completions"
        assert request["headers"]["authorization"] == f"Bearer {OPENAI_KEY}"
        assert request["body"]["model"] == "gpt-4o"
        assert request["body"]["messages"][0]["role"] == "system"
    else:
        assert request["path"] == "/v1/messages"
        assert request["headers"]["anthropic-version"] == "2023-06-01"
        assert request["body"]["model"] == "claude-sonnet-4-5"
        assert "JSON" in request["body"]["system"]


def test_verify_fails_when_the_model_says_no(ai_run, provider, key):
    provider.verdict(False, 0.97, "There is no Go button.")

    with pytest.raises(StepError) as failure:
        ai_run.step(VERIFY, prompt="A Go button", ai_credential=key)

    assert str(failure.value) == (
        "AI check failed (confidence 0.97, threshold 0.80): There is no Go button."
    )
    assert any("passed=False" in message for _, message in ai_run.logs)


def test_verify_fails_below_the_confidence_threshold(ai_run, provider, key):
    provider.reply('{"passed": "yes", "confidence": 62, "explanation": "Probably."}')

    with pytest.raises(StepError, match=r"below the confidence threshold \(confidence 0.62, "):
        ai_run.step(VERIFY, prompt="x", ai_credential=key, confidence_threshold="0.7")


def test_analyze_answers_about_one_element(ai_run, provider, key):
    provider.reply("  The button says Go.  ")

    outputs = ai_run.step(
        ANALYZE,
        prompt="What does the button say?",
        selector="#go",
        ai_credential=key,
        ai_model="vision-small",
    )

    assert outputs == {"status": "analyzed", "analysis": "The button says Go."}
    (request,) = provider.requests
    assert request["body"]["model"] == "vision-small"
    image = sent_image(request)
    session = ai_run.resources.peek("browser")
    with session.switch.playwright_side():
        full = session.page.screenshot()
    assert image.startswith(PNG)
    assert len(image) < len(full)  # the element, not the page


@pytest.mark.parametrize(
    ("status", "headers", "expected", "retryable"),
    [
        (
            429,
            {"retry-after": "7"},
            r"is rate-limiting this key \(HTTP 429: fake error 429\); "
            r"it asks to wait 7 s\.",
            True,
        ),
        (429, {}, r"is rate-limiting this key \(HTTP 429: fake error 429\)\.$", True),
        (500, {}, r"failed \(HTTP 500: fake error 500\); try again later\.", True),
        (529, {}, r"failed \(HTTP 529: fake error 529\)", True),
        (400, {}, r"rejected the request \(HTTP 400: fake error 400\); check the model", False),
    ],
)
def test_provider_errors_become_clear_step_errors(
    ai_run, provider, key, status, headers, expected, retryable
):
    provider.reply(status=status, headers=headers)

    with pytest.raises(StepError, match=expected) as failure:
        ai_run.step(ANALYZE, prompt="x", ai_credential=key)

    assert str(failure.value).startswith(f"The {'OpenAI' if key.description else 'Anthropic'} API")
    assert failure.value.retryable is retryable


def test_a_refused_key_names_the_credential_and_never_shows_the_key(ai_run, provider):
    wrong = ai_key(provider.url, openai=True, name="team-openai")
    wrong = type(wrong)(**{**wrong.__dict__, "secret": "sk-wrong-secret-123"})

    with pytest.raises(StepError) as failure:
        ai_run.step(VERIFY, prompt="x", ai_credential=wrong)

    message = str(failure.value)
    assert message == (
        f"The OpenAI API at {provider.url} refused the key of credential 'team-openai' "
        "(HTTP 401: Incorrect API key provided: ***). Check the key in the vault."
    )
    assert failure.value.retryable is False


def test_anthropic_refusal(ai_run, provider):
    wrong = ai_key(provider.url)
    wrong = type(wrong)(**{**wrong.__dict__, "secret": "sk-ant-wrong"})

    with pytest.raises(StepError, match=r"refused the key .*\(HTTP 401: invalid x-api-key\)"):
        ai_run.step(VERIFY, prompt="x", ai_credential=wrong)


@pytest.mark.parametrize(
    ("raw", "status", "expected"),
    [
        (b"<html>proxy error</html>", 502, r"failed \(HTTP 502: <html>proxy error</html>\)"),
        (b"not json", 200, r"answered something that is not a .* response: 'not json'"),
        ({"unexpected": True}, 200, r"answered something that is not a"),
        ({"error": "plain text error"}, 418, r"rejected the request \(HTTP 418: plain text error"),
        ([], 503, r"failed \(HTTP 503: Service Unavailable\)"),
    ],
)
def test_odd_answers(ai_run, provider, key, raw, status, expected):
    provider.reply(status=status, raw=raw)

    with pytest.raises(StepError, match=expected):
        ai_run.step(ANALYZE, prompt="x", ai_credential=key)


@pytest.mark.parametrize(
    "text",
    [
        "I think it passes.",
        '{"passed": "maybe"}',
        '{"passed": true, "confidence": "high"}',
        '{"passed": true',
        '{"passed": true,}',
    ],
)
def test_an_answer_that_is_not_a_verdict_fails_clearly(ai_run, provider, text):
    provider.reply(text)

    with pytest.raises(StepError, match="did not answer with the JSON verdict"):
        ai_run.step(VERIFY, prompt="x", ai_credential=ai_key(provider.url))


def test_an_empty_analysis_fails(ai_run, provider):
    provider.reply("   ")

    with pytest.raises(StepError, match="answered with no text"):
        ai_run.step(ANALYZE, prompt="x", ai_credential=ai_key(provider.url))


def test_the_request_times_out(ai_run, provider, key, settings):
    settings.AI_REQUEST_TIMEOUT_SECONDS = 0.5
    provider.reply("late", delay=30)

    started = time.monotonic()
    with pytest.raises(StepError, match=r"did not answer within 0.5 s\.") as failure:
        ai_run.step(ANALYZE, prompt="x", ai_credential=key)

    assert time.monotonic() - started < 10  # not the provider's 30 s
    assert failure.value.retryable is True


def test_cancel_mid_request_stops_at_once_and_closes_the_client(ai_run, provider, monkeypatch):
    provider.reply("never", delay=30)
    closed = []
    from apps.steps.plugins.ai import client as client_module

    original = client_module.AIClient.close
    monkeypatch.setattr(
        client_module.AIClient, "close", lambda self: closed.append(1) or original(self)
    )
    control = RunControl()
    interrupt_later(control, 0.5)

    started = time.monotonic()
    with pytest.raises(StepInterrupted) as stop:
        ai_run.step(ANALYZE, control=control, prompt="x", ai_credential=ai_key(provider.url))

    assert stop.value.reason == "cancel"
    assert time.monotonic() - started < 10  # not the provider's 30 s
    assert closed  # by the interrupter and by the step thread


def test_an_unreachable_provider(ai_run):
    with pytest.raises(StepError, match=r"The Anthropic API at http://127.0.0.1:9 could not be"):
        ai_run.step(ANALYZE, prompt="x", ai_credential=ai_key("http://127.0.0.1:9"))


def test_a_missing_element_fails_before_asking(ai_run, provider, monkeypatch):
    monkeypatch.setattr("apps.steps.plugins.ai.steps.CAPTURE_TIMEOUT_MS", 300)

    with pytest.raises(StepError, match=r"Could not capture '#absent' within 0 s"):
        ai_run.step(ANALYZE, prompt="x", selector="#absent", ai_credential=ai_key(provider.url))

    assert provider.requests == []


def test_a_bad_selector_is_a_playwright_error(ai_run, provider):
    with pytest.raises(StepError) as failure:
        ai_run.step(ANALYZE, prompt="x", selector="#[", ai_credential=ai_key(provider.url))

    assert failure.value.retryable is False
    assert provider.requests == []
