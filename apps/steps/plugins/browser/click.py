"""browser.click: click the first element matching the selector."""

from apps.steps.plugins.browser.base import browser_step
from apps.steps.plugins.browser.waiting import Deadline, act

PERFORMED = "performing click action"


@browser_step("browser.click")
def run(session, context, values: dict) -> dict:
    selector, force = values["selector"], values["force"]
    # force skips actionability (e.g. an MUI backdrop on top): the element need only exist.
    state = "attached" if force else "visible"
    act(
        session,
        context,
        selector,
        state,
        Deadline(values["timeout"]),
        lambda locator, timeout: locator.click(force=force, timeout=timeout),
        performed=PERFORMED,
    )
    return {"selector": selector, "status": "clicked", "force": force}
