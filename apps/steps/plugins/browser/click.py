"""browser.click: click the first element matching the selector."""

from apps.steps.plugins.browser.base import browser_step
from apps.steps.plugins.browser.waiting import Deadline, first_try, wait_for

PERFORMED = "performing click action"


@browser_step("browser.click")
def run(session, context, values: dict) -> dict:
    selector, force = values["selector"], values["force"]
    deadline = Deadline(values["timeout"])
    locator = session.page.locator(selector).first

    def click(timeout: float) -> None:
        locator.click(force=force, timeout=timeout)

    done, _ = first_try(context, click, deadline, performed=PERFORMED)
    if not done:
        # force skips actionability (e.g. an MUI backdrop on top): the element need only exist.
        state = "attached" if force else "visible"
        locator = wait_for(session, context, selector, state, deadline)
        with session.guarded(context):
            click(deadline.action_ms())
    return {"selector": selector, "status": "clicked", "force": force}
