"""The wrapper every browser step runs in: parameters, the session, errors and evidence."""

import functools
import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from apps.steps.errors import StepError
from apps.steps.files import resolve_files
from apps.steps.params import parse
from apps.steps.plugins.browser.session import BrowserSession, session_for

API_PREFIX = re.compile(r"^[A-Za-z]+\.[A-Za-z_]+: ")
GONE = ("Page crashed", "Target crashed", "has been closed")
# Call-log lines that describe Playwright's routine, not why an action could not happen.
ROUTINE = ("waiting", "retrying", "attempting", "scrolling", "done", "locator", "performing")
Action = Callable[[BrowserSession, Any, dict], dict]
# Playwright messages that no retry can fix.
PERMANENT = (
    "Unknown key",
    "invalid URL",
    "Unexpected token",
    "Unknown engine",
    "is not a valid selector",
    "Error while parsing selector",
    "Invalid regular expression",
)


def browser_step(step_type: str) -> Callable[[Action], Callable[[Any, dict], dict]]:
    """Turn ``action(session, context, values)`` into the ``run(context, params)`` of a step."""

    def decorate(action: Action) -> Callable[[Any, dict], dict]:
        @functools.wraps(action)
        def run(context, params: dict) -> dict:
            values = resolve_files(context, step_type, parse(step_type, params, context.log))
            session = session_for(context)
            with session.switch.playwright_side():
                return guarded_run(action, session, session.context, values)

        return run

    return decorate


def guarded_run(action: Action, session: BrowserSession, context, values: dict) -> dict:
    """Run one step's action; its outputs never come from a tab the scheme guard closed."""
    try:
        session.raise_refusal()
        outputs = action(session, context, values)
        session.save_downloads()
        session.pump()
        session.raise_refusal()
    except StepError as exc:
        session.raise_refusal()
        raise with_evidence(session, context, exc) from exc
    except PlaywrightTimeoutError as exc:
        context.check()
        session.raise_refusal()
        raise with_evidence(session, context, timed_out(exc, values)) from exc
    except PlaywrightError as exc:
        context.check()  # a kill by the interrupter: cancel, skip or timeout
        session.raise_refusal()
        raise with_evidence(session, context, explain(exc, session)) from exc
    return outputs


def explain(exc: PlaywrightError, session: BrowserSession) -> StepError:
    """A readable StepError from a Playwright error (its first line, without the call log)."""
    message = API_PREFIX.sub("", (exc.message or str(exc)).strip().splitlines()[0])
    if session.crashed or any(text in message for text in GONE):
        message += " (the page crashed or the browser closed; the next step opens a new tab)"
    return StepError(message, retryable=not any(text in message for text in PERMANENT))


def timed_out(exc: PlaywrightTimeoutError, values: dict) -> StepError:
    """An action's timeout, with the last thing Playwright saw (disabled, covered, ...)."""
    steps = [line.strip(" -") for line in (exc.message or "").split("Call log:")[-1].splitlines()]
    reasons = [line for line in steps if line and line.split(" ", 1)[0] not in ROUTINE]
    where = f" on '{values['selector']}'" if values.get("selector") else ""
    reason = reasons[-1].split("× ")[-1] if reasons else "no reason given"
    return StepError(f"Timed out after {values.get('timeout')} ms{where}: {reason}")


def with_evidence(session: BrowserSession, context, error: StepError) -> StepError:
    """Add a screenshot and the page HTML to a failure that depends on the page."""
    names = session.evidence(context) if error.retryable else []
    if not names:
        return error
    return StepError(f"{error} [saved {', '.join(names)}]", retryable=error.retryable)
