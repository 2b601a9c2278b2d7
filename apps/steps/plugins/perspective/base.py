"""The wrapper of the perspective.* browser steps: ``browser_step`` with this family's params.

``browser.base.browser_step`` parses with the browser catalogue only; this is the same wrapper
(the session, Playwright's side of the thread, errors turned into ``StepError`` with page
evidence) around ``params.parse``.
"""

import functools
from collections.abc import Callable
from typing import Any

from apps.steps.params import parse
from apps.steps.plugins.browser.base import Action, guarded_run
from apps.steps.plugins.browser.session import session_for


def perspective_step(step_type: str) -> Callable[[Action], Callable[[Any, dict], dict]]:
    """Turn ``action(session, context, values)`` into the ``run(context, params)`` of a step."""

    def decorate(action: Action) -> Callable[[Any, dict], dict]:
        @functools.wraps(action)
        def run(context, params: dict) -> dict:
            values = parse(step_type, params, context.log)
            session = session_for(context)
            with session.switch.playwright_side():
                return guarded_run(action, session, session.context, values)

        return run

    return decorate
