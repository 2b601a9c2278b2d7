"""The run's browser session: sharing, trace, downloads, live frames, debug and live clicks."""

import threading
import time
import zipfile

import psutil
import pytest

from apps.executions.engine.control import RunControl
from apps.executions.frames import frame_last, viewers_add, viewers_remove
from apps.steps.errors import StepError
from apps.steps.plugins.browser.config import BrowserConfig, browser_config
from apps.steps.plugins.browser.frames import LiveFrames
from apps.steps.plugins.browser.processes import browser_process, kill_renderers
from apps.steps.plugins.browser.session import session_for


def test_steps_of_nested_playbooks_share_one_browser(own_run, site):
    own_run.step("browser.navigate", url=site.url("/form.html"))

    first = session_for(own_run.context())
    nested = session_for(own_run.context("browser.click"))

    assert first is nested
    assert nested.page.url == site.url("/form.html")


def test_closing_the_run_stores_a_playwright_trace(own_run, site):
    own_run.step("browser.navigate", url=site.url("/form.html"))
    own_run.step("browser.click", selector="#go")

    own_run.close()

    (trace,) = own_run.kinds("trace")
    assert (trace.name, trace.content_type) == ("trace.zip", "application/zip")
    with zipfile.ZipFile(trace.path) as archive:
        assert "trace.trace" in archive.namelist()
    assert [p.name for p in own_run.folder.iterdir() if p.name.startswith(".browser")] == []


@pytest.mark.parametrize("screenshots", [False, True])
def test_the_trace_has_dom_snapshots_and_a_film_strip_only_on_request(
    own_run, site, settings, screenshots
):
    settings.BROWSER_TRACE_SCREENSHOTS = screenshots
    own_run.step("browser.navigate", url=site.url("/form.html"))
    own_run.step("browser.click", selector="#go")

    own_run.close()

    (trace,) = own_run.kinds("trace")
    with zipfile.ZipFile(trace.path) as archive:
        events = archive.read("trace.trace").decode()
    assert '"type":"frame-snapshot"' in events
    assert ('"type":"screencast-frame"' in events) is screenshots


def test_the_trace_can_be_switched_off(own_run, site, settings):
    settings.BROWSER_TRACE = False
    own_run.step("browser.navigate", url=site.url("/form.html"))

    own_run.close()

    assert own_run.kinds("trace") == []


def test_downloads_are_stored_as_artifacts_of_the_run(own_run, site):
    own_run.step("browser.navigate", url=site.url("/download.html"))

    own_run.step("browser.click", selector="#get")
    own_run.context().sleep(0.5)  # the download starts just after the click
    own_run.close()

    (download,) = own_run.kinds("download")
    assert download.name == "backup.gwbk"
    assert download.path.read_bytes() == b"GWBK" * 1000
    assert ("info", "Saved download backup.gwbk") in own_run.logs


def test_a_failed_download_is_logged_not_stored(own_run, site):
    own_run.step("browser.navigate", url=site.url("/download.html"))

    own_run.step("browser.click", selector="#broken")
    own_run.context().sleep(0.5)
    own_run.close()

    assert own_run.kinds("download") == []
    assert any(m.startswith("Download broken.gwbk failed: ") for _, m in own_run.logs)


def test_frames_are_published_only_while_someone_watches(own_run, site):
    execution_id = own_run.execution_id = f"frames-{time.monotonic_ns()}"
    own_run.step("browser.navigate", url=site.url("/canvas.html"))
    session = session_for(own_run.context())
    own_run.context().sleep(0.3)
    assert (session.frames.sent, frame_last(execution_id)) == (0, None)
    viewers_add(execution_id)

    try:
        own_run.context().sleep(1.5)
    finally:
        viewers_remove(execution_id)

    session.frames.close()
    assert session.frames.sent >= 2
    last = frame_last(execution_id)
    assert last["data"].startswith("/9j/")  # base64 of a JPEG
    assert (last["width"], last["height"]) == (1920, 1080)  # the viewport, not the picture
    session.frames._checked_at = float("-inf")
    own_run.context().sleep(0.2)
    assert session.frames._cdp is None


def test_a_failing_viewer_count_means_nobody_watches(own_run, site):
    own_run.step("browser.navigate", url=site.url("/form.html"))
    page = session_for(own_run.context()).page

    def broken(execution_id):
        raise ConnectionError("redis down")

    frames = LiveFrames(BrowserConfig(executable=None, viewers=broken), "x")
    frames.pump(page)

    assert frames._cdp is None


def test_a_crashed_page_while_streaming_gets_a_new_tab(own_run, site):
    own_run.step("browser.navigate", url=site.url("/canvas.html"))
    session = session_for(own_run.context())
    session.frames._watched, session.frames._checked_at = True, time.monotonic() + 60
    session.switch.wrap(session.pump)()
    threading.Timer(0.4, kill_renderers, args=(session.process,)).start()

    with pytest.raises(StepError) as failure:
        own_run.step("browser.wait", selector="#never")
    own_run.step("browser.navigate", url=site.url("/form.html"))

    assert "the page crashed or the browser closed" in str(failure.value)
    assert own_run.kinds("screenshot") == []
    assert own_run.page.title() == "Form"


def test_a_browser_that_died_is_started_again(own_run, site):
    own_run.step("browser.navigate", url=site.url("/form.html"))
    session = session_for(own_run.context())
    session.process.kill()
    psutil.wait_procs([session.process], timeout=5)

    with pytest.raises(StepError) as failure:
        own_run.step("browser.navigate", url=site.url("/form.html"))
    outputs = own_run.step("browser.navigate", url=site.url("/form.html"))

    assert "the page crashed or the browser closed" in str(failure.value)
    assert failure.value.retryable is True
    assert outputs["status"] == "navigated"
    assert (
        "warning",
        "The browser closed unexpectedly; starting a new one (cookies are lost).",
    ) in (own_run.logs)


def test_the_debug_snapshot_has_the_screenshot_and_html(own_run, site):
    own_run.step("browser.navigate", url=site.url("/form.html"))

    snapshot = own_run.resources.debug_snapshot()

    assert snapshot["screenshot"][:4] == b"\x89PNG"
    assert "<title>Form</title>" in snapshot["html"]


def test_the_debug_snapshot_right_after_a_refused_navigation_shows_the_error_page(own_run):
    with pytest.raises(StepError):
        own_run.step("browser.navigate", url="http://127.0.0.1:9/", control=RunControl(debug=True))

    snapshot = own_run.resources.debug_snapshot()

    assert "snapshot_errors" not in snapshot
    assert snapshot["screenshot"][:4] == b"\x89PNG"
    assert "127.0.0.1" in snapshot["html"]


def test_debug_mode_leaves_failure_evidence_to_the_engine(own_run, site):
    own_run.step("browser.navigate", url=site.url("/form.html"))

    with pytest.raises(StepError):
        own_run.step("browser.wait", selector="#none", timeout=100, control=RunControl(debug=True))

    assert own_run.artifacts == []


def test_a_live_click_reaches_the_page_at_viewport_coordinates(own_run, site):
    own_run.step("browser.navigate", url=site.url("/canvas.html"))
    control = RunControl()
    control.commands.append({"command": "browser.click", "x": 120, "y": 45})

    outputs = own_run.step("browser.get_text", selector="#pad", control=control)

    assert outputs["text"] == "120,45"
    assert ("info", "Live view click at (120, 45)") in own_run.logs


def test_a_missing_browser_fails_with_a_clear_message(own_run, settings, tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("not a browser")
    settings.PLAYWRIGHT_CHROMIUM_EXECUTABLE = str(fake)

    with pytest.raises(StepError) as failure:
        own_run.step("browser.navigate", url="http://127.0.0.1/")

    assert str(failure.value).startswith("Could not start Chromium: ")
    assert failure.value.retryable is False
    assert own_run.resources.peek("browser") is None


def test_a_malformed_viewport_setting_fails_the_launch(own_run, settings):
    settings.BROWSER_VIEWPORT = "big"

    with pytest.raises(StepError) as failure:
        own_run.step("browser.screenshot")

    assert str(failure.value) == (
        "Could not start Chromium: BROWSER_VIEWPORT must look like 1920x1080, not 'big'"
    )


def test_settings_shape_the_browser(own_run, site, settings):
    settings.BROWSER_VIEWPORT = "800x600"
    settings.BROWSER_FRAME_QUALITY = 500

    own_run.step("browser.navigate", url=site.url("/form.html"))

    assert own_run.page.viewport_size == {"width": 800, "height": 600}
    assert browser_config().frame_quality == 100


def test_processes_of_other_runs_are_left_alone():
    assert browser_process("--toolkit-browser=nobody") is None
    assert kill_renderers(None) == []


def test_texts_and_numbers_are_accepted_for_text_parameters(own_run, site):
    own_run.step("browser.navigate", url=site.url("/form.html"))

    own_run.step("browser.fill", selector="#name", value=42)

    assert own_run.step("browser.get_text", selector="#name")["text"] == "42"


def test_a_same_page_navigation_has_no_response(own_run, site):
    own_run.step("browser.navigate", url=site.url("/form.html"))

    outputs = own_run.step("browser.navigate", url=site.url("/form.html#out"))

    assert outputs == {"url": site.url("/form.html#out"), "status": "navigated"}
