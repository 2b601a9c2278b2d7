"""browser.fill: replace an input's value (never logged: it may come from a credential)."""

from apps.steps.plugins.browser.base import browser_step
from apps.steps.plugins.browser.waiting import Deadline, first_try, wait_for


@browser_step("browser.fill")
def run(session, context, values: dict) -> dict:
    selector, value = values["selector"], values["value"]
    deadline = Deadline(values["timeout"])
    locator = session.page.locator(selector).first
    # Filling twice leaves the same value, so a timed-out first try is simply tried again.
    done, _ = first_try(context, lambda timeout: locator.fill(value, timeout=timeout), deadline)
    if not done:
        locator = wait_for(session, context, selector, "visible", deadline)
        with session.guarded(context):
            locator.fill(value, timeout=deadline.action_ms())
    return {"selector": selector, "status": "filled"}
