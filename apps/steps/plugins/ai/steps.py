"""Handlers of ``perspective.verify_with_ai`` and ``perspective.analyze_with_ai``.

Order of work: parameters, then the key (so a missing key fails before the browser is
touched), then a PNG of the page or element (stored as an artifact, so the run shows what the
model saw), then one request to the provider.
"""

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from apps.steps.errors import StepError
from apps.steps.params import bad, parse
from apps.steps.plugins.ai.client import AIClient
from apps.steps.plugins.ai.keys import ai_settings
from apps.steps.plugins.ai.verdict import ANALYZE_SYSTEM, VERIFY_SYSTEM, parse_verdict
from apps.steps.plugins.browser.base import explain
from apps.steps.plugins.browser.session import session_for

CAPTURE_TIMEOUT_MS = 10_000


def run_verify(context, params: dict) -> dict:
    values = parse("perspective.verify_with_ai", params, context.log)
    threshold = values["confidence_threshold"]
    if threshold > 1:
        raise bad(f"'confidence_threshold' is a fraction from 0 to 1, not {threshold:g}")
    verdict = parse_verdict(ask(context, values, VERIFY_SYSTEM))
    outputs = {
        "status": "passed",
        **verdict,
        "threshold": threshold,
    }
    summary = f"confidence {verdict['confidence']:.2f}, threshold {threshold:.2f}"
    context.log(f"AI verdict: passed={verdict['passed']} ({summary}): {verdict['explanation']}")
    if not verdict["passed"]:
        raise StepError(f"AI check failed ({summary}): {verdict['explanation']}")
    if verdict["confidence"] < threshold:
        raise StepError(f"AI check passed below the confidence threshold ({summary}).")
    return outputs


def run_analyze(context, params: dict) -> dict:
    values = parse("perspective.analyze_with_ai", params, context.log)
    analysis = ask(context, values, ANALYZE_SYSTEM).strip()
    if not analysis:
        raise StepError("The model answered with no text.")
    return {"status": "analyzed", "analysis": analysis}


def ask(context, values: dict, system: str) -> str:
    settings = ai_settings(context, values)
    image = capture(context, values.get("selector"))
    context.log(f"Asking {settings.provider} model {settings.model} ({len(image)} byte PNG).")
    client = AIClient(settings, context)
    try:
        return client.ask(system, values["prompt"], [image])
    finally:
        client.close()


def capture(context, selector: str | None) -> bytes:
    """A PNG of the run's page (or of ``selector``'s first element), stored as an artifact."""
    session = session_for(context)
    with session.switch.playwright_side():  # see browser/sides.py
        image = shoot(session, session.context, selector)
    name = f"ai-{context.step_id}.png"
    artifact = context.save_artifact("screenshot", name, data=image, content_type="image/png")
    context.log(f"Captured {artifact.name} for the model.")
    return image


def shoot(session, context, selector: str | None) -> bytes:
    try:
        with session.guarded(context) as page:
            target = page.locator(selector).first if selector else page
            return target.screenshot(timeout=CAPTURE_TIMEOUT_MS)
    except PlaywrightTimeoutError as exc:
        context.check()
        raise StepError(
            f"Could not capture '{selector}' within {CAPTURE_TIMEOUT_MS // 1000} s "
            "(no visible element matches)."
        ) from exc
    except PlaywrightError as exc:
        context.check()
        raise explain(exc, session) from exc
