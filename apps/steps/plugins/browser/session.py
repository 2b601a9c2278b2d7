"""The run's browser: its own context and tab, shared by every step of the run.

The context (cookies, storage, cache, downloads, trace) is the run's alone; the Chromium under it
is the worker process's, kept between runs (see ``chromium``).

``session_for(context)`` opens it on the first browser step (nested playbooks get the same one
through the run's resources) and prepares it for the step: the step's log and artifacts, and an
interrupter. Cancel, skip and step timeouts reach a waiting step within one wait slice (see
``waiting``); for a call that cannot be sliced (a navigation, an action) the interrupter, run on
the watcher thread, kills Chromium's renderers so the call fails at once. The browser, its
cookies and the trace survive; the next step gets a fresh tab, and the browser is not kept for
another run.
"""

import contextlib
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from playwright.sync_api import Download, Page
from playwright.sync_api import Error as PlaywrightError

from apps.steps.errors import StepError
from apps.steps.plugins.browser.chromium import Chromium, chromium_acquire, chromium_release
from apps.steps.plugins.browser.config import BrowserConfig, browser_config
from apps.steps.plugins.browser.frames import LiveFrames
from apps.steps.plugins.browser.guard import SchemeGuard
from apps.steps.plugins.browser.processes import kill_renderers, wait_gone
from apps.steps.plugins.browser.sides import EngineContext, LoopSwitch
from apps.steps.urls import ALLOWED

RESOURCE_KEY = "browser"


def session_for(context) -> "BrowserSession":
    """The run's browser session, opened on first use, ready for the step of ``context``."""
    resources = context.resources

    def open_session() -> BrowserSession:
        frames = context.frames
        config = replace(browser_config(), viewers=frames.viewers, publish=frames.publish)
        session = BrowserSession(config, context.execution_id, context)
        on_browser_side = session.switch.wrap
        resources.add_snapshotter(on_browser_side(session.snapshot))
        resources.set_idler(on_browser_side(session.idle))
        resources.add_command_handler("browser.click", on_browser_side(session.command_click))
        return session

    try:
        session = resources.get(RESOURCE_KEY, open_session, close=BrowserSession.close_run)
    finally:
        LoopSwitch.release()
    session.begin_step(context)
    return session


class BrowserSession:
    def __init__(self, config: BrowserConfig, execution_id: str, context) -> None:
        self.config = config
        self.switch = LoopSwitch()
        self.context = EngineContext(context, self.switch)
        self.frames = LiveFrames(config, execution_id)
        self.guard = SchemeGuard()
        self.scratch_name = f".browser-{uuid.uuid4().hex[:8]}"
        self.downloads: list[Download] = []
        self.blocking = False
        self.crashed = False
        self.damaged = False  # renderers killed or the browser died: not kept for another run
        self.killed: list = []
        self.chromium: Chromium | None = None
        self._start()

    # Lifecycle ------------------------------------------------------------------------------
    def _start(self) -> None:
        try:
            viewport = self.config.viewport_size()
        except ValueError as exc:
            raise StepError(f"Could not start Chromium: {exc}", retryable=False) from exc
        while True:
            self.chromium = chromium_acquire(self.config, self.switch)
            self.browser, self.process = self.chromium.browser, self.chromium.process
            try:
                self._open_context(viewport)
                return
            except PlaywrightError as exc:
                chromium, self.chromium = self.chromium, None
                chromium_release(chromium, None, keep=False)
                if chromium.runs == 1:  # a kept browser may have died meanwhile: launch anew
                    raise StepError(
                        f"Could not open a browser tab: {exc}", retryable=False
                    ) from exc

    def _open_context(self, viewport: dict[str, int]) -> None:
        self.browser_context = self.browser.new_context(
            viewport=viewport, ignore_https_errors=True, accept_downloads=True
        )
        self.guard.install(self.browser_context)
        self.browser_context.on("page", self._watch_page)
        if self.config.trace:
            self.browser_context.tracing.start(
                screenshots=self.config.trace_screenshots, snapshots=True
            )
        self._open_page()

    def _open_page(self) -> None:
        wait_gone(self.killed)
        self.killed = []
        self._page = self.browser_context.new_page()
        self._page.on("crash", self._on_crash)
        self.crashed = False

    def _on_crash(self, _page: Page) -> None:
        self.crashed = self.damaged = True

    def _watch_page(self, page: Page) -> None:
        page.on("download", self._on_download)

    def _on_download(self, download: Download) -> None:
        self.downloads.append(download)

    def begin_step(self, context) -> None:
        self.context = EngineContext(context, self.switch)
        context.add_interrupter(self.interrupt)

    def close_run(self) -> None:
        """``close`` as the engine calls it when the run ends."""
        with self.switch.playwright_side():
            self.close()

    def close(self) -> None:
        """Save pending downloads and the trace, then stop the browser (end of the run)."""
        try:
            self.frames.close()
            if self.browser.is_connected():
                self.save_downloads()
                self._save_trace()
        finally:
            self._release()
            shutil.rmtree(self._scratch(create=False), ignore_errors=True)

    def _release(self) -> None:
        chromium, self.chromium = self.chromium, None
        if chromium is not None:
            keep = self.config.keep_alive and not self.damaged
            chromium_release(chromium, self.browser_context, keep=keep)

    # The page ------------------------------------------------------------------------------
    @property
    def page(self) -> Page:
        """The run's tab; a new tab (or a new browser) when the last one crashed or was killed."""
        if not self.browser.is_connected():
            self.log("The browser closed unexpectedly; starting a new one (cookies are lost).")
            self.frames.forget()
            self.damaged = True
            self._release()
            self._start()
        elif self.crashed or self._page.is_closed():
            self.log(
                "The last tab crashed, was stopped or was closed; opened a new tab "
                "(cookies are kept)."
            )
            self.frames.forget()
            with contextlib.suppress(PlaywrightError):
                self._page.close()
            self._open_page()
        return self._page

    def interrupt(self) -> None:
        """Stop a blocking Playwright call now. Runs on the watcher thread: no Playwright here."""
        if self.blocking:
            self.crashed = self.damaged = True
            self.killed = kill_renderers(self.process)

    def raise_refusal(self) -> None:
        """Fail the step when the guard closed a tab that showed a non-web page (see ``guard``)."""
        for url in self.guard.blocked_requests():
            self.log(f"Blocked a request to {url[:200]}: {ALLOWED}.")
        message = self.guard.refusal()
        if message:
            raise StepError(message, retryable=False)

    @contextmanager
    def guarded(self, context) -> Iterator[Page]:
        """Run one blocking call that cancel, skip or a step timeout may interrupt by a kill."""
        page = self.page
        self.blocking = True
        try:
            context.check()  # after raising the flag, so an interruption is never missed
            yield page
        finally:
            self.blocking = False

    def idle(self, seconds: float) -> None:
        """Give the engine's idle time to the page: events, downloads and live frames."""
        page = self.page
        page.wait_for_timeout(seconds * 1000)
        self.frames.pump(page)

    def pump(self) -> None:
        self.frames.pump(self.page)

    # Evidence ------------------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """Screenshot and HTML of the page for a debug context."""
        captured = self._capture()
        if captured is None:
            raise StepError("The page could not be captured (it crashed or kept navigating).")
        png, html = captured
        return {"screenshot": png, "html": html}

    def evidence(self, context) -> list[str]:
        """Store a screenshot and the HTML of the page a step failed on; the artifact names."""
        if context.debug or self.crashed:
            return []  # debug mode captures its own context; a crashed tab shows nothing
        captured = self._capture()
        if captured is None:
            return []
        png, html = captured
        stem = f"failed-{context.step_id}"
        shot = context.save_artifact(
            "screenshot", f"{stem}.png", data=png, content_type="image/png"
        )
        page = context.save_artifact("html", f"{stem}.html", data=html, content_type="text/html")
        return [shot.name, page.name]

    def _capture(self) -> tuple[bytes, str] | None:
        """Screenshot and HTML of the tab, or ``None``. Right after a failed navigation the
        error page may still be committing ("the page is navigating"): one more try once the
        page has settled."""
        for attempt in (1, 2):
            try:
                return self._page.screenshot(timeout=5000), self._page.content()
            except PlaywrightError:
                if attempt == 2:
                    return None
                with contextlib.suppress(PlaywrightError):
                    self._page.wait_for_load_state("domcontentloaded", timeout=2000)
        return None

    def command_click(self, message: dict) -> None:
        """A click from the run page's live view, at viewport coordinates."""
        x, y = float(message["x"]), float(message["y"])
        self.log(f"Live view click at ({x:g}, {y:g})", "info")
        self.page.mouse.click(x, y)

    # Artifacts -----------------------------------------------------------------------------
    def save_downloads(self) -> list[str]:
        """Store finished downloads as artifacts of the current step; their names."""
        names = []
        while self.downloads:
            download = self.downloads.pop(0)
            failure = download.failure()
            if failure:
                self.log(f"Download {download.suggested_filename} failed: {failure}")
                continue
            target = self._scratch() / uuid.uuid4().hex
            download.save_as(target)
            artifact = self.context.save_artifact(
                "download", download.suggested_filename, source=target
            )
            self.log(f"Saved download {artifact.name}", "info")
            names.append(artifact.name)
        return names

    def _save_trace(self) -> None:
        if not self.config.trace:
            return
        target = self._scratch() / "trace.zip"
        self.browser_context.tracing.stop(path=target)
        self.context.save_artifact(
            "trace", "trace.zip", source=target, content_type="application/zip"
        )

    def _scratch(self, *, create: bool = True) -> Path:
        # Inside the run's folder, so the recorder's rename into place stays on one filesystem.
        folder = Path(self.context.artifacts_dir) / self.scratch_name
        if create:
            folder.mkdir(parents=True, exist_ok=True)
        return folder

    def log(self, message: str, level: str = "warning") -> None:
        self.context.log(message, level)
