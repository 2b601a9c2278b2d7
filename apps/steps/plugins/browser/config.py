"""What the browser session needs from the deployment, read from settings in one place.

This is the only module of the browser plugin that touches Django settings: ``session_for``
calls ``browser_config()`` once, when a run opens its browser, adds the run's live view (the
context's ``frames``), and the session only sees the resulting ``BrowserConfig``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

from apps.core.browsers import CHROMIUM_ARGS, chromium_executable


@dataclass(frozen=True)
class BrowserConfig:
    executable: str | None
    args: tuple[str, ...] = CHROMIUM_ARGS
    headless: bool = True
    viewport: str = "1920x1080"
    keep_alive: bool = True
    trace: bool = True
    trace_screenshots: bool = False
    frame_quality: int = 60
    viewers: Callable[[str], int] = field(default=lambda execution_id: 0)
    publish: Callable[..., None] = field(default=lambda execution_id, jpeg, **size: None)

    def viewport_size(self) -> dict[str, int]:
        """``{"width": w, "height": h}`` from ``WIDTHxHEIGHT``; ValueError when malformed."""
        width, sep, height = self.viewport.lower().partition("x")
        if not (sep and width.strip().isdigit() and height.strip().isdigit()):
            raise ValueError(f"BROWSER_VIEWPORT must look like 1920x1080, not {self.viewport!r}")
        return {"width": int(width), "height": int(height)}


def browser_config() -> BrowserConfig:
    """The deployment's browser settings (BROWSER_* and PLAYWRIGHT_CHROMIUM_EXECUTABLE)."""
    return BrowserConfig(
        executable=chromium_executable(),
        args=CHROMIUM_ARGS,
        headless=settings.BROWSER_HEADLESS,
        viewport=settings.BROWSER_VIEWPORT,
        keep_alive=settings.BROWSER_KEEP_ALIVE,
        trace=settings.BROWSER_TRACE,
        trace_screenshots=settings.BROWSER_TRACE_SCREENSHOTS,
        frame_quality=min(100, max(1, settings.BROWSER_FRAME_QUALITY)),
    )
