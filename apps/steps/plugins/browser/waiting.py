"""Waiting in slices, so cancel, skip, step timeouts and live clicks are seen while waiting.

Each Playwright wait runs for at most ``SLICE_MS``; between slices the step checks its control
state and the session sends live frames. Timeouts are in ms; 0 means "no limit" (the step's own
timeout in seconds still applies).

Most elements are ready when their step starts, so a step first tries its whole action in one
Playwright call bounded by one slice (``first_try``), and waits in slices only when that call
timed out.
"""

import time
from collections.abc import Callable
from typing import Any, TypeVar

from playwright.sync_api import Locator
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from apps.steps.errors import StepError

SLICE_MS = 250
POLL_SECONDS = 0.1
MIN_ACTION_MS = 1000
T = TypeVar("T")


class Deadline:
    def __init__(self, timeout_ms: int) -> None:
        self.timeout_ms = timeout_ms
        self.end = None if timeout_ms == 0 else time.monotonic() + timeout_ms / 1000

    def remaining_ms(self) -> float | None:
        """Milliseconds left (``None`` without a limit, 0 once expired)."""
        if self.end is None:
            return None
        return max(0.0, (self.end - time.monotonic()) * 1000)

    def slice_ms(self, longest: float) -> float:
        remaining = self.remaining_ms()
        return longest if remaining is None else max(1.0, min(longest, remaining))

    def action_ms(self) -> int:
        """Playwright timeout for one action after its element was found (0 = none)."""
        remaining = self.remaining_ms()
        return 0 if remaining is None else int(max(MIN_ACTION_MS, remaining))

    def expired(self) -> bool:
        return self.remaining_ms() == 0


def found(session, selector: str) -> str:
    """What the page holds for ``selector``, for error messages."""
    locator = session.page.locator(selector)
    count = locator.count()
    if count == 0:
        return "no element matches"
    matches = "1 element matches" if count == 1 else f"{count} elements match"
    state = "visible" if locator.first.is_visible() else "hidden"
    return f"{matches}, the first is {state}"


def wait_for(session, context, selector: str, state: str, deadline: Deadline) -> Locator:
    """Wait until the first match of ``selector`` reaches ``state``; StepError on timeout."""
    locator = session.page.locator(selector).first
    while True:
        context.check()
        if deadline.expired():
            raise StepError(
                f"Timed out after {deadline.timeout_ms} ms waiting for '{selector}' to be "
                f"{state}: {found(session, selector)}"
            )
        try:
            locator.wait_for(state=state, timeout=deadline.slice_ms(SLICE_MS))
        except PlaywrightTimeoutError:
            session.pump()
            continue
        return locator


def poll(session, context, probe: Callable[[], tuple[bool, Any]], deadline: Deadline):
    """Call ``probe`` until it returns ``(True, value)`` or time runs out; ``(ok, last value)``."""
    while True:
        context.check()
        ok, value = probe()
        if ok or deadline.expired():
            return ok, value
        remaining = deadline.remaining_ms()
        session.idle(POLL_SECONDS if remaining is None else min(POLL_SECONDS, remaining / 1000))


def first_try(
    context, call: Callable[[float], T], deadline: Deadline, *, performed: str = ""
) -> tuple[bool, T | None]:
    """``(True, call(timeout_ms))`` if the call succeeds within one slice, else ``(False, None)``.

    ``performed`` is the call-log line Playwright writes just before an action that must not be
    repeated (``performing click action``): a timeout after that line means the action may
    already have happened, so it counts as done.
    """
    context.check()
    try:
        return True, call(deadline.slice_ms(SLICE_MS))
    except PlaywrightTimeoutError as exc:
        return bool(performed) and performed in (exc.message or ""), None


def act(
    session,
    context,
    selector: str,
    state: str,
    deadline: Deadline,
    call: Callable[[Locator, float], T],
    *,
    performed: str = "",
) -> T | None:
    """``call(locator, timeout_ms)`` on the first match of ``selector``: first in one try, else
    once the element reached ``state`` (waited for in slices), as one guarded call."""
    locator = session.page.locator(selector).first
    done, result = first_try(
        context, lambda timeout: call(locator, timeout), deadline, performed=performed
    )
    if done:
        return result
    locator = wait_for(session, context, selector, state, deadline)
    with session.guarded(context):
        return call(locator, deadline.action_ms())
