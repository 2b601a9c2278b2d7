"""One manifest entry's action and what it changed on the page.

A click passes when the page reacts (DOM, shadow roots, form values or URL change) within
``SETTLE_MS``; a fill passes when the field reads back the value. ``expected`` describes the
effect: when its text shows on the page it becomes the entry's ``actual``.
"""

from playwright.sync_api import Error as PlaywrightError

from apps.steps.errors import StepError
from apps.steps.plugins.browser.waiting import Deadline, poll, wait_for

SETTLE_MS = 1000
PROBE = """() => {
  const parts = [location.href, document.documentElement.outerHTML];
  const texts = [document.body ? document.body.innerText : ""];
  const visit = (root) => {
    for (const el of root.querySelectorAll("*")) {
      if (typeof el.value === "string" && el.tagName !== "BUTTON") {
        parts.push(el.value); texts.push(el.value);
      }
      if (typeof el.checked === "boolean") parts.push(String(el.checked));
      if (el.shadowRoot) {
        parts.push(el.shadowRoot.innerHTML);
        texts.push(Array.from(el.shadowRoot.children).map((c) => c.innerText || "").join(" "));
        visit(el.shadowRoot);
      }
    }
  };
  visit(document);
  const all = parts.join("\\u0000");
  let hash = 0;
  for (let i = 0; i < all.length; i += 1) hash = (hash * 31 + all.charCodeAt(i)) | 0;
  return {mark: `${hash}:${all.length}`, text: texts.join("\\n"), url: location.href};
}"""


def probe(session) -> dict | None:
    """The page's fingerprint, text and URL; None while it is between two documents."""
    try:
        return session.page.evaluate(PROBE)
    except PlaywrightError:
        return None


def settle(session, context, before: dict | None, expected: str) -> tuple[bool, bool, dict]:
    """Wait until the page changed (and shows ``expected``, if given): (changed, shown, after)."""

    def check() -> tuple[bool, tuple[bool, bool, dict]]:
        after = probe(session) or {"mark": None, "text": "", "url": session.page.url}
        changed = before is None or after["mark"] != before["mark"]
        shown = bool(expected) and expected in after["text"]
        return changed and (shown or not expected), (changed, shown, after)

    return poll(session, context, check, Deadline(SETTLE_MS))[1]


def click(session, context, entry: dict) -> str:
    """Click the entry's element; what it changed (``StepError`` when nothing changed)."""
    deadline = Deadline(entry["timeout"])
    locator = wait_for(session, context, entry["selector"], "visible", deadline)
    before = probe(session)
    with session.guarded(context):
        locator.click(timeout=deadline.action_ms())
    changed, shown, after = settle(session, context, before, entry["expected"])
    if not changed:
        raise StepError(
            f"No visible effect: nothing on the page changed within {SETTLE_MS} ms of the click"
        )
    if shown:
        return f"'{entry['expected']}' shown"
    if before is not None and after["url"] != before["url"]:
        return f"Navigated to {after['url']}"
    missing = f"; '{entry['expected']}' not shown" if entry["expected"] else ""
    return f"The page changed{missing}"


def fill(session, context, entry: dict) -> str:
    """Fill the entry's element and read it back (``StepError`` when it holds another value)."""
    deadline = Deadline(entry["timeout"])
    locator = wait_for(session, context, entry["selector"], "visible", deadline)
    before = probe(session)
    with session.guarded(context):
        locator.fill(entry["value"], timeout=deadline.action_ms())
    _changed, shown, _after = settle(session, context, before, entry["expected"])
    with session.guarded(context):
        held = locator.input_value(timeout=deadline.action_ms())
    if held != entry["value"]:
        raise StepError(f"The field holds {held!r} after filling {entry['value']!r}")
    return f"'{entry['expected']}' shown" if shown else f"Value {held!r}"


ACTIONS = {"click": click, "fill": fill}
