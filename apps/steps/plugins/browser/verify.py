"""browser.verify and browser.verify_state: assert that an element is (or is not) there.

``browser.verify`` waits for ``visible`` (``exists: true``) or ``hidden`` (``exists: false``,
which absence also satisfies); ``state`` overrides both with any Playwright state.
"""

from apps.steps.errors import StepError
from apps.steps.plugins.browser.base import browser_step
from apps.steps.plugins.browser.waiting import Deadline, poll, wait_for


def expect_state(session, context, selector: str, state: str, deadline: Deadline) -> None:
    try:
        wait_for(session, context, selector, state, deadline)
    except StepError as exc:
        raise StepError(f"Verification failed: {exc}") from exc


@browser_step("browser.verify")
def run(session, context, values: dict) -> dict:
    selector, state = values["selector"], values.get("state")
    expected = state or ("visible" if values["exists"] else "hidden")
    expect_state(session, context, selector, expected, Deadline(values["timeout"]))
    # visible and attached imply that it exists; hidden and detached do not tell.
    exists = expected in ("visible", "attached") or session.page.locator(selector).count() > 0
    return {
        "selector": selector,
        "exists": exists,
        "expected": expected,
        "status": "verified",
        "message": f"'{selector}' is {expected} as expected",
    }


@browser_step("browser.verify_state")
def run_state(session, context, values: dict) -> dict:
    selector, state = values["selector"], values["state"]
    deadline = Deadline(values["timeout"])
    if state in ("visible", "hidden"):
        expect_state(session, context, selector, state, deadline)
    else:
        locator = wait_for(session, context, selector, "attached", deadline)
        ok, enabled = poll(session, context, lambda: _enabled_is(locator, state), deadline)
        if not ok:
            actual = "enabled" if enabled else "disabled"
            raise StepError(
                f"Verification failed: expected '{selector}' to be {state} within "
                f"{deadline.timeout_ms} ms, but it is {actual}"
            )
    return {
        "selector": selector,
        "expected_state": state,
        "status": "verified",
        "message": f"'{selector}' is {state} as expected",
    }


def _enabled_is(locator, state: str) -> tuple[bool, bool]:
    enabled = locator.is_enabled(timeout=1000)
    return enabled == (state == "enabled"), enabled
