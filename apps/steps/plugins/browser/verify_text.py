"""browser.verify_text and browser.verify_attribute: compare what an element shows.

Both retry until the comparison holds or the timeout ends, like Playwright's web assertions.
"""

import re

from apps.steps.errors import StepError
from apps.steps.plugins.browser.base import browser_step
from apps.steps.plugins.browser.waiting import Deadline, first_try, poll, wait_for


def text_matches(actual: str, expected: str, match: str) -> bool:
    if match == "exact":
        return actual == expected
    if match == "contains":
        return expected in actual
    return re.search(expected, actual) is not None


@browser_step("browser.verify_text")
def run(session, context, values: dict) -> dict:
    selector, expected, match = values["selector"], values["text"], values["match"]
    if match == "regex":
        try:
            re.compile(expected)
        except re.error as exc:
            raise StepError(f"'text' is not a valid regex: {exc}", retryable=False) from exc
    deadline = Deadline(values["timeout"])
    locator = session.page.locator(selector).first

    def read(timeout: float) -> str:
        return (locator.text_content(timeout=timeout) or "").strip()

    done, actual = first_try(context, read, deadline)
    ok = done and text_matches(actual, expected, match)
    if not ok:
        locator = wait_for(session, context, selector, "attached", deadline)

        def probe() -> tuple[bool, str]:
            actual = read(1000)
            return text_matches(actual, expected, match), actual

        ok, actual = poll(session, context, probe, deadline)
    outcome = "matches" if ok else "does not match"
    message = f"Text of '{selector}' {outcome} ({match}) {expected!r}: found {actual!r}"
    if not ok:
        raise StepError(f"Verification failed: {message}")
    return {
        "selector": selector,
        "expected_text": expected,
        "actual_text": actual,
        "match_type": match,
        "status": "verified",
        "message": message,
    }


@browser_step("browser.verify_attribute")
def run_attribute(session, context, values: dict) -> dict:
    selector, attribute = values["selector"], values["attribute"]
    expected = None if values.get("absent") else values.get("value")
    if expected is None and not values.get("absent"):
        raise StepError("Give 'value', or 'absent: true' to check the attribute is absent")
    deadline = Deadline(values["timeout"])
    locator = wait_for(session, context, selector, "attached", deadline)

    def probe() -> tuple[bool, str | None]:
        actual = locator.get_attribute(attribute, timeout=1000)
        return actual == expected, actual

    ok, actual = poll(session, context, probe, deadline)
    found = "missing" if actual is None else repr(actual)
    wanted = "absent" if expected is None else repr(expected)
    message = f"Attribute '{attribute}' of '{selector}' is {found}, expected {wanted}"
    if not ok:
        raise StepError(f"Verification failed: {message}")
    return {
        "selector": selector,
        "attribute": attribute,
        "expected_value": expected,
        "actual_value": actual,
        "status": "verified",
        "message": message,
    }
