"""The prompts of the AI steps and the JSON verdict ``verify_with_ai`` asks the model for."""

import json
import re
from typing import Any

from apps.steps.errors import StepError

VERIFY_SYSTEM = (
    "You check screenshots of an Ignition Perspective web application for a test run. "
    "Decide whether the screenshot satisfies the user's requirement. Answer with one JSON "
    'object and nothing else: {"passed": true or false, "confidence": a number from 0 to 1, '
    '"explanation": "one or two sentences", "details": ["observations that support it"]}.'
)
ANALYZE_SYSTEM = (
    "You analyse screenshots of an Ignition Perspective web application for a test engineer. "
    "Answer the user's question about the screenshot precisely and concisely."
)
OBJECT = re.compile(r"\{.*\}", re.DOTALL)
TRUE, FALSE = ("true", "yes", "pass", "passed"), ("false", "no", "fail", "failed")


def parse_verdict(text: str) -> dict[str, Any]:
    """``passed``, ``confidence``, ``explanation`` and ``details`` from the model's answer."""
    match = OBJECT.search(text or "")
    try:
        data = json.loads(match.group(0)) if match else None
    except ValueError:
        data = None
    if not isinstance(data, dict) or "passed" not in data:
        raise not_a_verdict(text)
    passed = _boolean(data["passed"], text)
    try:
        confidence = float(data.get("confidence", 0))
    except (TypeError, ValueError):
        raise not_a_verdict(text) from None
    if confidence > 1 and confidence <= 100:  # a percentage
        confidence /= 100
    details = data.get("details", [])
    return {
        "passed": passed,
        "confidence": max(0.0, min(1.0, confidence)),
        "explanation": str(data.get("explanation", "")).strip(),
        "details": details if isinstance(details, list) else [details],
    }


def _boolean(value: Any, text: str) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE or word in FALSE:
        return word in TRUE
    raise not_a_verdict(text)


def not_a_verdict(text: str) -> StepError:
    return StepError(
        f"The model did not answer with the JSON verdict it was asked for: {(text or '')[:200]!r}"
    )
