"""Which Chromium to drive, and the flags it needs on locked-down plant networks."""

import shutil
from pathlib import Path

from django.conf import settings

# Quiet, offline-friendly flags: no background networking (closed networks refuse it loudly),
# no sandbox (workers often run as root in containers), no first-run UI.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


class ChromiumNotFoundError(RuntimeError):
    pass


def chromium_executable() -> str | None:
    """The configured Chromium, else one on PATH; ``None`` means Playwright's own download.

    Raises ``ChromiumNotFoundError`` when ``PLAYWRIGHT_CHROMIUM_EXECUTABLE`` names a missing file.
    """
    configured = settings.PLAYWRIGHT_CHROMIUM_EXECUTABLE
    if configured:
        if not Path(configured).exists():
            raise ChromiumNotFoundError(
                f"PLAYWRIGHT_CHROMIUM_EXECUTABLE is {configured!r}, which does not exist. "
                "Install Chromium (apt-get install chromium) or fix the path."
            )
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None
