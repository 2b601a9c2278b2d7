"""The plain Playwright script the portal is compared with: one Chromium launched once, a fresh
context per round, as the portal's worker keeps its Chromium and opens a context per run.

Playwright's sync API runs an event loop in its thread, where Django's ORM refuses to work, so
the script lives in a thread of its own and the benchmark hands it rounds through a queue.
"""

import queue
import threading
import time
from collections.abc import Callable

from playwright.sync_api import expect, sync_playwright

from apps.steps.plugins.browser.config import browser_config
from apps.steps.plugins.browser.get_text import READ


class PlainBrowser:
    """A context manager: ``round(actions)`` runs one round and returns its phases in ms."""

    def __init__(self, url: str, page_path: str) -> None:
        self.url, self.page_path = url, page_path
        self.requests: queue.Queue = queue.Queue()
        self.replies: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> "PlainBrowser":
        self.thread.start()
        self._reply()  # the launch went through (or raised)
        return self

    def __exit__(self, *exc_info) -> None:
        self.requests.put(None)
        self.thread.join(timeout=60)

    def round(self, actions) -> dict[str, float]:
        self.requests.put(actions)
        return self._reply()

    def _reply(self):
        result = self.replies.get(timeout=180)
        if isinstance(result, BaseException):
            raise result
        return result

    def _serve(self) -> None:
        config = browser_config()
        try:
            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(
                executable_path=config.executable, args=list(config.args), headless=config.headless
            )
        except Exception as error:  # noqa: BLE001 - handed to the benchmark's thread
            self.replies.put(error)
            return
        self.replies.put(True)
        try:
            while (actions := self.requests.get()) is not None:
                self.replies.put(self._guarded(lambda a=actions: self._round(browser, config, a)))
        finally:
            browser.close()
            playwright.stop()

    def _guarded(self, call: Callable[[], dict]):
        try:
            return call()
        except Exception as error:  # noqa: BLE001 - handed to the benchmark's thread
            return error

    def _round(self, browser, config, actions) -> dict[str, float]:
        """A new context, the actions, the context closed; phases in ms, CPU of this thread."""
        cpu = time.thread_time()
        marks = [time.perf_counter()]
        context = browser.new_context(viewport=config.viewport_size())
        page = context.new_page()
        marks.append(time.perf_counter())
        for number, action in enumerate(actions):
            self._action(page, *action)
            if number in (0, len(actions) - 1):  # after the navigation, after the last action
                marks.append(time.perf_counter())
        context.close()
        marks.append(time.perf_counter())
        spans = [(end - start) * 1000 for start, end in zip(marks, marks[1:], strict=False)]
        names = ("launch", "step0", "steps", "close")
        phases = {"total": sum(spans), **dict(zip(names, spans, strict=True))}
        phases["cpu"] = (time.thread_time() - cpu) * 1000
        return phases

    def _action(self, page, kind: str, selector: str, value: str) -> None:
        """What one would write by hand for each step type (Playwright's own waits)."""
        locator = page.locator(selector or "body").first
        if kind == "navigate":
            page.goto(f"{self.url}{self.page_path}", wait_until="load")
        elif kind == "wait":
            locator.wait_for(state="visible")
        elif kind == "click":
            locator.click()
        elif kind == "fill":
            locator.fill(value)
        elif kind == "verify_text":
            expect(locator).to_have_text(value)
        elif kind == "verify":
            expect(locator).to_be_visible()
        elif kind == "get_text" and str(locator.evaluate(READ)).strip() != value:
            raise RuntimeError(f"The plain script read the wrong text at {selector}")
