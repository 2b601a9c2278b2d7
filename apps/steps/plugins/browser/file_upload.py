"""browser.file_upload: set the files of a file input to one file of the run (see steps/files)."""

from apps.steps.plugins.browser.base import browser_step
from apps.steps.plugins.browser.waiting import Deadline, wait_for


@browser_step("browser.file_upload")
def run(session, context, values: dict) -> dict:
    selector, file_path = values["selector"], values["file_path"]
    deadline = Deadline(values["timeout"])
    locator = wait_for(session, context, selector, "attached", deadline)
    with session.guarded(context):
        locator.set_input_files(file_path, timeout=deadline.action_ms())
    return {"selector": selector, "file_path": file_path, "status": "uploaded"}
