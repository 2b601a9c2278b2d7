"""perspective.verify_navigation and perspective.verify_dock_opened.

Navigation is polled until the URL and title hold the patterns (a click's navigation may not
have started when the step begins), then the network is given the rest of the time to settle.
"""

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from apps.steps.errors import StepError
from apps.steps.plugins.browser.base import browser_step
from apps.steps.plugins.browser.waiting import SLICE_MS, Deadline, poll, wait_for

SETTLE_MS = 2000


def _where(page) -> tuple[str, str]:
    try:
        return page.url, page.title()
    except PlaywrightError:  # the page is between two documents
        return page.url, ""


def _mismatches(url: str, title: str, values: dict) -> list[str]:
    wanted_url = values.get("expected_url_pattern")
    wanted_title = values.get("expected_title_pattern")
    problems = []
    if wanted_url and wanted_url not in url:
        problems.append(f"the URL {url!r} does not contain {wanted_url!r}")
    if wanted_title and wanted_title not in title:
        problems.append(f"the title {title!r} does not contain {wanted_title!r}")
    return problems


def _settle(session, context, deadline: Deadline) -> None:
    """Wait (in slices) for the network to go idle, for at most ``SETTLE_MS`` of the rest."""
    settle = Deadline(int(min(SETTLE_MS, deadline.remaining_ms() or SETTLE_MS)))
    while not settle.expired():
        context.check()
        try:
            session.page.wait_for_load_state("networkidle", timeout=settle.slice_ms(SLICE_MS))
            return
        except PlaywrightTimeoutError:
            session.pump()


@browser_step("perspective.verify_navigation")
def run(session, context, values: dict) -> dict:
    deadline = Deadline(values["timeout"])

    def probe() -> tuple[bool, tuple[str, str]]:
        url, title = _where(session.page)
        return not _mismatches(url, title, values), (url, title)

    ok, (url, title) = poll(session, context, probe, deadline)
    if not ok:
        problems = "; ".join(_mismatches(url, title, values))
        raise StepError(f"Verification failed after {values['timeout']} ms: {problems}")
    _settle(session, context, deadline)
    url, title = _where(session.page)
    return {
        "status": "verified",
        "url": url,
        "title": title,
        "message": f"On {url} ({title!r}) as expected",
    }


@browser_step("perspective.verify_dock_opened")
def run_dock(session, context, values: dict) -> dict:
    selector = values["dock_selector"]
    try:
        wait_for(session, context, selector, "visible", Deadline(values["timeout"]))
    except StepError as exc:
        raise StepError(f"The dock did not open: {exc}") from exc
    return {
        "status": "opened",
        "dock_selector": selector,
        "message": f"Dock '{selector}' is open",
    }
