"""Keeps a run's browser context on web pages, whatever the page itself does.

Steps refuse non-web addresses before opening them (``apps/steps/urls.py``); this guard covers
everything else that can move a tab: links, redirects, scripts, ``window.open``, frames and
calls that do not come from ``browser.navigate``. Chromium already refuses most of these when a
web page starts them; the guard does not depend on that:

* a route on the context aborts every request that is not http(s). Playwright's routes see
  Chromium's own ``file:`` loads (also the one under ``view-source:file:``), not ``chrome:``,
  ``data:`` or ``blob:`` ones, which never reach the network;
* a watcher on every tab of the context closes a tab as soon as any of its frames commits a
  non-web document (``chrome://version``, a top-level ``data:`` page ...), so no later call
  can read, screenshot or stream it, and remembers why. The session turns that into a failed
  step (``refusal``); the next step gets a fresh tab. (A ``view-source:`` tab reports the
  address of the source it shows: of a web page, it shows only what that page serves anyway;
  of a file, the route has already refused the load.)
"""

import contextlib
import re

from playwright.sync_api import BrowserContext, Frame, Page, Route
from playwright.sync_api import Error as PlaywrightError

from apps.steps.urls import ALLOWED, WEB_SCHEMES, url_scheme

NOT_WEB = re.compile(r"^(?!https?:)", re.IGNORECASE)
# Documents a frame may show besides web pages: the empty page, Chromium's error page for a
# failed load, and (inside a page only) the page's own inline and generated documents.
TOP_DOCUMENTS = ("about:blank", "chrome-error://chromewebdata/")
FRAME_SCHEMES = ("data", "blob")
FRAME_DOCUMENTS = ("about:srcdoc",)


def allowed_document(url: str, *, top: bool) -> bool:
    """Whether a frame (the tab's main frame when ``top``) may show the document at ``url``."""
    if url_scheme(url) in WEB_SCHEMES or url in TOP_DOCUMENTS or url.startswith("about:blank#"):
        return True
    return not top and (url_scheme(url) in FRAME_SCHEMES or url in FRAME_DOCUMENTS)


class SchemeGuard:
    """The guard of one browser context; ``refusal()`` tells what it stopped since last asked."""

    def __init__(self) -> None:
        self.refused: str | None = None
        self.blocked: list[str] = []

    def install(self, context: BrowserContext) -> None:
        """Route and watch ``context`` (call before its first tab opens)."""
        context.route(NOT_WEB, self._abort)
        context.on("page", self._watch)

    def _abort(self, route: Route) -> None:
        self.blocked.append(route.request.url)
        route.abort("blockedbyclient")

    def _watch(self, page: Page) -> None:
        page.on("framenavigated", lambda frame: self._check(page, frame))

    def _check(self, page: Page, frame: Frame) -> None:
        if allowed_document(frame.url, top=frame.parent_frame is None):
            return
        self.refused = self.refused or frame.url
        # Closed already, or the browser went away: nothing is left to show either way.
        with contextlib.suppress(PlaywrightError):
            page.close()

    def refusal(self) -> str | None:
        """The message for a tab closed since the last call (``None`` if none); clears it."""
        url, self.refused = self.refused, None
        if url is None:
            return None
        return (
            f"The page opened {url[:200]}, which is not a web address: {ALLOWED}. The tab was "
            "closed and nothing from it was kept; the next step opens a new tab"
        )

    def blocked_requests(self) -> list[str]:
        """Non-web requests aborted since the last call; clears them."""
        found, self.blocked = self.blocked, []
        return found
