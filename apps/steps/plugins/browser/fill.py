"""browser.fill: replace an input's value (never logged: it may come from a credential)."""

from apps.steps.plugins.browser.base import browser_step
from apps.steps.plugins.browser.waiting import Deadline, wait_for


@browser_step("browser.fill")
def run(session, context, values: dict) -> dict:
    selector = values["selector"]
    deadline = Deadline(values["timeout"])
    locator = wait_for(session, context, selector, "visible", deadline)
    with session.guarded(context):
        locator.fill(values["value"], timeout=deadline.action_ms())
    return {"selector": selector, "status": "filled"}
