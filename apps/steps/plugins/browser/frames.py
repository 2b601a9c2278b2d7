"""Live frames of the run's page, sent only while someone watches the run page.

A CDP screencast makes Chromium encode a JPEG whenever the page changes. Playwright's sync API
delivers those events only while the engine thread is inside a Playwright call, so the session
calls ``pump`` between wait slices, after each step and when the engine idles; ``pump`` sends
the newest frame at most every ``INTERVAL`` seconds. Frames are never stored.

Sending happens on a thread of its own: Playwright's sync API marks the engine thread as running
an event loop, where Channels' ``async_to_sync`` refuses to work, and a slow Redis must not slow
the run. Only the newest frame waits to be sent; older ones are dropped.
"""

import base64
import contextlib
import logging
import queue
import threading
import time

from playwright.sync_api import CDPSession, Page
from playwright.sync_api import Error as PlaywrightError

from apps.steps.plugins.browser.config import BrowserConfig

logger = logging.getLogger(__name__)
INTERVAL = 0.5
MAX_FRAME_WIDTH = 960
VIEWERS_CHECK_SECONDS = 1.0


class LiveFrames:
    def __init__(self, config: BrowserConfig, execution_id: str) -> None:
        self.config = config
        self.execution_id = execution_id
        self.sent = 0
        self._cdp: CDPSession | None = None
        self._latest: tuple[bytes, int, int] | None = None
        self._last_sent = 0.0
        self._watched = False
        self._checked_at = float("-inf")
        self._outbox: queue.Queue = queue.Queue(maxsize=1)
        self._sender: threading.Thread | None = None

    def pump(self, page: Page) -> None:
        """Start or stop the screencast as viewers come and go; send the newest frame if due."""
        watched = self._watching()
        if watched and self._cdp is None:
            self._start(page)
        elif not watched and self._cdp is not None:
            self.stop()
        if self._latest is not None and time.monotonic() - self._last_sent >= INTERVAL:
            self._send(self._latest)
            self._latest = None
            self._last_sent = time.monotonic()
            self.sent += 1

    def forget(self) -> None:
        """Drop the screencast of a crashed page without a word to it (a reply never comes)."""
        self._cdp, self._latest = None, None

    def close(self) -> None:
        """Stop the screencast and the sender thread (end of the run)."""
        self.stop()
        if self._sender is not None:
            self._replace(None)
            self._sender.join(timeout=5)
            self._sender = None

    def _send(self, frame: tuple[bytes, int, int]) -> None:
        if self._sender is None:
            self._sender = threading.Thread(
                target=self._sending, name=f"frames-{self.execution_id}", daemon=True
            )
            self._sender.start()
        self._replace(frame)

    def _replace(self, item) -> None:
        with contextlib.suppress(queue.Empty):
            self._outbox.get_nowait()
        self._outbox.put_nowait(item)

    def _sending(self) -> None:
        while (frame := self._outbox.get()) is not None:
            jpeg, width, height = frame
            try:
                self.config.publish(self.execution_id, jpeg, width=width, height=height)
            except Exception:  # noqa: BLE001 - a lost frame must never fail the run
                logger.warning("Live frame of %s not sent", self.execution_id, exc_info=True)

    def stop(self) -> None:
        """End the screencast (no viewers, page replaced, or the run is closing)."""
        cdp, self._cdp, self._latest = self._cdp, None, None
        if cdp is None:
            return
        try:
            cdp.send("Page.stopScreencast")
            cdp.detach()
        except PlaywrightError:
            logger.debug("Screencast of %s already gone", self.execution_id)

    def _watching(self) -> bool:
        now = time.monotonic()
        if now - self._checked_at >= VIEWERS_CHECK_SECONDS:
            self._checked_at = now
            try:
                self._watched = self.config.viewers(self.execution_id) > 0
            except Exception:  # noqa: BLE001 - no Redis means no viewers, never a failed step
                logger.warning("Viewer count of %s unavailable", self.execution_id, exc_info=True)
                self._watched = False
        return self._watched

    def _start(self, page: Page) -> None:
        cdp = self._cdp = page.context.new_cdp_session(page)  # set first: frames need an ack
        cdp.on("Page.screencastFrame", self._on_frame)
        viewport = page.viewport_size or {"width": 1920, "height": 1080}
        # The run page shows the view a few hundred pixels wide: a smaller picture costs
        # Chromium far less to encode. Clicks are mapped with the viewport size in each frame.
        scale = min(1.0, MAX_FRAME_WIDTH / viewport["width"])
        cdp.send(
            "Page.startScreencast",
            {
                "format": "jpeg",
                "quality": self.config.frame_quality,
                "maxWidth": round(viewport["width"] * scale),
                "maxHeight": round(viewport["height"] * scale),
            },
        )

    def _on_frame(self, event: dict) -> None:
        metadata = event.get("metadata", {})
        width, height = int(metadata.get("deviceWidth", 0)), int(metadata.get("deviceHeight", 0))
        self._latest = (base64.b64decode(event["data"]), width, height)
        if self._cdp is not None:
            self._cdp.send("Page.screencastFrameAck", {"sessionId": event["sessionId"]})
