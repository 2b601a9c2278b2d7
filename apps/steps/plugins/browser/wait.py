"""browser.wait: wait until the element is visible."""

from apps.steps.plugins.browser.base import browser_step
from apps.steps.plugins.browser.waiting import Deadline, wait_for


@browser_step("browser.wait")
def run(session, context, values: dict) -> dict:
    selector = values["selector"]
    wait_for(session, context, selector, "visible", Deadline(values["timeout"]))
    return {"selector": selector, "status": "found"}
