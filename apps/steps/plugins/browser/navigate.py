"""browser.navigate: open a URL in the run's tab and wait for the chosen page event."""

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from apps.steps.errors import StepError
from apps.steps.plugins.browser.base import browser_step, explain


@browser_step("browser.navigate")
def run(session, context, values: dict) -> dict:
    url, wait_until, timeout = values["url"], values["wait_until"], values["timeout"]
    try:
        with session.guarded(context) as page:
            response = page.goto(url, wait_until=wait_until, timeout=timeout)
    except PlaywrightTimeoutError as exc:
        context.check()
        raise StepError(
            f"Timed out after {timeout} ms opening {url} (waiting for '{wait_until}')"
        ) from exc
    except PlaywrightError as exc:
        context.check()
        error = explain(exc, session)
        raise StepError(f"Could not open {url}: {error}", retryable=error.retryable) from exc
    if response is not None and response.status >= 400:
        context.log(f"{url} answered HTTP {response.status}", "warning")
    return {"url": page.url, "status": "navigated"}
