"""browser.get_text: the element's trimmed text, or the value of an input or text area."""

from apps.steps.plugins.browser.base import browser_step
from apps.steps.plugins.browser.waiting import Deadline, act

READ = """element => ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName)
    ? element.value : (element.innerText ?? element.textContent ?? '')"""


@browser_step("browser.get_text")
def run(session, context, values: dict) -> dict:
    selector = values["selector"]
    text = act(
        session,
        context,
        selector,
        "attached",
        Deadline(values["timeout"]),
        lambda locator, timeout: locator.evaluate(READ, timeout=timeout),
    )
    return {"selector": selector, "text": str(text).strip(), "status": "extracted"}
