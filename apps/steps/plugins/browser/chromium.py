"""The worker process's Chromium: launched on a run's first browser step, kept for the next run.

Starting Playwright's driver and Chromium takes about half a second, longer than twenty typical
browser steps. As Playwright Test keeps one browser per worker and gives every test a fresh
context, a worker process keeps its Chromium after a run and the next run gets a new browser
context of its own: no cookies, storage, cache, downloads or trace are shared between runs.

A browser is not kept (it is stopped at the end of the run) when:

* ``BROWSER_KEEP_ALIVE`` is off;
* the run found it damaged: it died, or its pages were killed to interrupt a call;
* it has served ``REUSE_LIMIT`` runs (a fresh one bounds what a long-lived browser accumulates);
* the run is not on the process's main thread (Playwright's sync API belongs to the thread that
  started it; Celery's prefork and solo pools run tasks on the main thread).
"""

import asyncio
import contextlib
import logging
import os
import threading
import uuid
from dataclasses import dataclass, field

import psutil
from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from apps.steps.errors import StepError
from apps.steps.plugins.browser.config import BrowserConfig
from apps.steps.plugins.browser.processes import browser_process
from apps.steps.plugins.browser.sides import LoopSwitch

logger = logging.getLogger(__name__)
REUSE_LIMIT = 100


@dataclass(eq=False)
class Chromium:
    """A launched Chromium with the Playwright driver and event loop that talk to it."""

    playwright: Playwright
    browser: Browser
    process: psutil.Process | None
    loop: asyncio.AbstractEventLoop
    launched_with: tuple
    pid: int = field(default_factory=os.getpid)
    runs: int = 1

    def fits(self, config: BrowserConfig) -> bool:
        return self.launched_with == _launch_options(config) and self.browser.is_connected()

    def stop(self) -> None:
        try:
            self.playwright.stop()
        except PlaywrightError:
            logger.warning("Stopping Playwright failed", exc_info=True)


_kept: Chromium | None = None


def chromium_acquire(config: BrowserConfig, switch: LoopSwitch) -> Chromium:
    """The kept Chromium when it fits ``config``, else a new one; ``switch`` adopts its loop.

    Raises StepError when Chromium cannot be started.
    """
    global _kept
    if _kept is not None and _owned(_kept):
        kept, _kept = _kept, None
        switch.adopt(kept.loop)
        if kept.fits(config):
            kept.runs += 1
            return kept
        kept.stop()
    return _launch(config, switch)


def chromium_release(chromium: Chromium, context: BrowserContext | None, *, keep: bool) -> None:
    """End a run's use of ``chromium``: close its context and keep the browser, or stop it.

    One browser is kept at most: when another is kept already (two sessions were open at once,
    as tests do), this one stops."""
    global _kept
    keep = keep and chromium.runs < REUSE_LIMIT and _owned(chromium)
    if keep and context is not None:
        try:
            context.close()
        except PlaywrightError:
            keep = False
    if keep and chromium.browser.is_connected() and _kept is None:
        _kept = chromium
    else:
        chromium.stop()


def chromium_forget() -> None:
    """Stop the kept Chromium now, if any. A worker needs no call: when its process ends,
    Playwright's driver sees its pipe close and stops the browser with it."""
    global _kept
    kept, _kept = _kept, None
    if kept is not None and _owned(kept):
        LoopSwitch().adopt(kept.loop)
        try:
            kept.stop()
        finally:
            LoopSwitch.release()


def _launch(config: BrowserConfig, switch: LoopSwitch) -> Chromium:
    marker = f"--toolkit-browser={uuid.uuid4().hex}"
    playwright = None
    try:
        LoopSwitch.release()  # a new driver starts a new loop, not inside another one
        playwright = sync_playwright().start()
        switch.adopt()
        browser = playwright.chromium.launch(
            executable_path=config.executable, args=[*config.args, marker], headless=config.headless
        )
    except PlaywrightError as exc:
        if playwright is not None:
            with contextlib.suppress(PlaywrightError):
                playwright.stop()
        raise StepError(f"Could not start Chromium: {exc}", retryable=False) from exc
    launched_with = _launch_options(config)
    return Chromium(playwright, browser, browser_process(marker), switch.loop, launched_with)


def _launch_options(config: BrowserConfig) -> tuple:
    return (config.executable, config.args, config.headless)


def _owned(chromium: Chromium) -> bool:
    """Usable here: started by this process (not inherited through a fork), on its main thread."""
    return chromium.pid == os.getpid() and threading.current_thread() is threading.main_thread()
