"""The wrapper of the perspective.* browser steps: the browser family's own ``browser_step``.

The same session, Playwright's side of the thread, parameter parsing and file checks, errors
turned into ``StepError`` with page evidence; kept under this family's name for its modules.
"""

from apps.steps.plugins.browser.base import browser_step

perspective_step = browser_step
