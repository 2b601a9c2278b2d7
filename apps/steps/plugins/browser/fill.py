"""browser.fill: replace an input's value (never logged: it may come from a credential)."""

from apps.steps.plugins.browser.base import browser_step
from apps.steps.plugins.browser.waiting import Deadline, act


@browser_step("browser.fill")
def run(session, context, values: dict) -> dict:
    selector, value = values["selector"], values["value"]
    # Filling twice leaves the same value, so a timed-out first try is simply tried again.
    act(
        session,
        context,
        selector,
        "visible",
        Deadline(values["timeout"]),
        lambda locator, timeout: locator.fill(value, timeout=timeout),
    )
    return {"selector": selector, "status": "filled"}
