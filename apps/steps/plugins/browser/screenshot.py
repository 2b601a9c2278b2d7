"""browser.screenshot: store a PNG (or JPEG for a .jpg name) of the page as a run artifact."""

import time
from pathlib import PurePosixPath

from apps.steps.plugins.browser.base import browser_step

JPEG = (".jpg", ".jpeg")


def artifact_file_name(values: dict) -> str:
    """``path`` or ``name`` (default ``screenshot_<epoch>``), with .png added when needed."""
    name = values.get("path") or values.get("name") or f"screenshot_{int(time.time())}"
    suffix = PurePosixPath(name).suffix.lower()
    return name if suffix in (".png", *JPEG) else f"{name}.png"


@browser_step("browser.screenshot")
def run(session, context, values: dict) -> dict:
    name = artifact_file_name(values)
    jpeg = PurePosixPath(name).suffix.lower() in JPEG
    with session.guarded(context) as page:
        data = page.screenshot(full_page=values["full_page"], type="jpeg" if jpeg else "png")
    artifact = context.save_artifact(
        "screenshot", name, data=data, content_type="image/jpeg" if jpeg else "image/png"
    )
    return {"screenshot": artifact.name, "status": "captured"}
