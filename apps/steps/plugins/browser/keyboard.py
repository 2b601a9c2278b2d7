"""browser.keyboard: press a key or chord, or type text, optionally into an element."""

from apps.steps.plugins.browser.base import browser_step
from apps.steps.plugins.browser.waiting import Deadline, wait_for


@browser_step("browser.keyboard")
def run(session, context, values: dict) -> dict:
    key, text, selector = values.get("key"), values.get("text"), values.get("selector")
    deadline = Deadline(values["timeout"])
    if selector:
        locator = wait_for(session, context, selector, "visible", deadline)
        with session.guarded(context):
            if key:
                locator.press(key, timeout=deadline.action_ms())
            else:
                locator.press_sequentially(text, timeout=deadline.action_ms())
    else:
        with session.guarded(context) as page:
            if key:
                page.keyboard.press(key)
            else:
                page.keyboard.type(text)
    return {"status": "pressed" if key else "typed", "key": key or "", "text": text or ""}
