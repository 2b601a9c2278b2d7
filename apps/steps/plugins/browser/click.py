"""browser.click: click the first element matching the selector."""

from apps.steps.plugins.browser.base import browser_step
from apps.steps.plugins.browser.waiting import Deadline, wait_for


@browser_step("browser.click")
def run(session, context, values: dict) -> dict:
    selector, force = values["selector"], values["force"]
    deadline = Deadline(values["timeout"])
    # force skips actionability (e.g. an MUI backdrop on top): the element need only exist.
    locator = wait_for(session, context, selector, "attached" if force else "visible", deadline)
    with session.guarded(context):
        locator.click(force=force, timeout=deadline.action_ms())
    return {"selector": selector, "status": "clicked", "force": force}
