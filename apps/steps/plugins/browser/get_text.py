"""browser.get_text: the element's trimmed text, or the value of an input or text area."""

from apps.steps.plugins.browser.base import browser_step
from apps.steps.plugins.browser.waiting import Deadline, first_try, wait_for

READ = """element => ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName)
    ? element.value : (element.innerText ?? element.textContent ?? '')"""


@browser_step("browser.get_text")
def run(session, context, values: dict) -> dict:
    selector = values["selector"]
    deadline = Deadline(values["timeout"])
    locator = session.page.locator(selector).first
    done, text = first_try(
        context, lambda timeout: locator.evaluate(READ, timeout=timeout), deadline
    )
    if not done:
        locator = wait_for(session, context, selector, "attached", deadline)
        with session.guarded(context):
            text = locator.evaluate(READ, timeout=deadline.action_ms())
    return {"selector": selector, "text": str(text).strip(), "status": "extracted"}
