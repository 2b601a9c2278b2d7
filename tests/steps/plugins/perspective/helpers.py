"""Looking at the run's page from a test: on Playwright's side of the thread, as steps do."""

from collections.abc import Callable
from typing import Any


def look_at(run, look: Callable[[Any], Any]) -> Any:
    """``look(page)`` with the run's page, Playwright's loop marked as the session expects."""
    session = run.resources.peek("browser")
    with session.switch.playwright_side():
        return look(session.page)


def matches(run, selector: str) -> int:
    """How many elements ``selector`` finds on the run's page."""
    return look_at(run, lambda page: page.locator(selector).count())
