"""browser.navigate and browser.screenshot in a real Chromium against local pages."""

import socket
import time

import pytest

from apps.executions.engine.control import RunControl, StepInterrupted
from apps.steps.errors import StepError
from tests.steps.plugins.browser.harness import interrupt_later


def test_navigate_opens_the_page_and_reports_its_url(browser_run, site):
    outputs = browser_run.step("browser.navigate", url=site.url("/form.html"))

    assert outputs == {"url": site.url("/form.html"), "status": "navigated"}
    assert browser_run.page.title() == "Form"


@pytest.mark.parametrize("wait_until", ["load", "domcontentloaded", "networkidle"])
def test_navigate_honours_wait_until(browser_run, site, wait_until):
    outputs = browser_run.step(
        "browser.navigate", url=site.url("/late.html"), wait_until=wait_until
    )

    assert outputs["status"] == "navigated"


def test_navigate_logs_an_http_error_status_without_failing(browser_run, site):
    outputs = browser_run.step("browser.navigate", url=site.url("/nowhere"))

    assert outputs["status"] == "navigated"
    assert ("warning", f"{site.url('/nowhere')} answered HTTP 404") in browser_run.logs


def test_navigate_times_out_after_its_timeout_in_ms(browser_run, site):
    with pytest.raises(StepError) as failure:
        browser_run.step("browser.navigate", url=site.url("/slow"), timeout=300)

    assert str(failure.value).startswith(
        f"Timed out after 300 ms opening {site.url('/slow')} (waiting for 'load')"
    )
    assert failure.value.retryable is True


def test_an_unreachable_address_is_a_retryable_error(browser_run):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/"

    with pytest.raises(StepError) as failure:
        browser_run.step("browser.navigate", url=closed)

    assert str(failure.value).startswith(
        f"Could not open {closed}: net::ERR_CONNECTION_REFUSED at {closed} [saved failed-navigate"
    )
    assert failure.value.retryable is True


def test_an_invalid_url_is_a_permanent_error(browser_run):
    with pytest.raises(StepError) as failure:
        browser_run.step("browser.navigate", url="not a url")

    assert str(failure.value) == (
        "'url': 'not a url' is not a full address: start it with http:// or https://"
    )
    assert failure.value.retryable is False


@pytest.mark.parametrize(
    ("_case", "params", "message"),
    [
        ("no url", {}, "browser.navigate needs 'url' (Address to open.)"),
        (
            "bad wait_until",
            {"url": "http://x", "wait_until": "idle"},
            "'wait_until' must be one of load, domcontentloaded, networkidle, not 'idle'",
        ),
        (
            "text timeout",
            {"url": "http://x", "timeout": "soon"},
            "'timeout' (in ms) must be a whole number, not 'soon'",
        ),
        ("negative", {"url": "http://x", "timeout": -1}, "'timeout' must be at least 0, not -1"),
        (
            "unknown key",
            {"url": "http://x", "colour": "red"},
            "browser.navigate does not take colour (allowed: url, wait_until, timeout)",
        ),
    ],
)
def test_navigate_rejects_bad_parameters(browser_run, _case, params, message):
    with pytest.raises(StepError) as failure:
        browser_run.step("browser.navigate", **params)

    assert str(failure.value) == message
    assert failure.value.retryable is False


def test_a_legacy_key_of_a_lenient_playbook_is_ignored_with_a_warning(browser_run, site):
    outputs = browser_run.step("browser.navigate", url=site.url("/form.html"), wait_for="#a")

    assert outputs["status"] == "navigated"
    assert browser_run.logs == [
        (
            "warning",
            "Ignored parameter 'wait_for': Use 'wait_until: load', 'domcontentloaded' or "
            "'networkidle', or add a browser.wait step for the selector to wait for.",
        )
    ]


def test_cancel_stops_a_hanging_navigation_at_once_and_keeps_the_browser(browser_run, site):
    control = RunControl()
    interrupt_later(control, 0.5)
    started = time.monotonic()

    with pytest.raises(StepInterrupted) as interruption:
        browser_run.step("browser.navigate", url=site.url("/slow"), control=control)

    assert interruption.value.reason == "cancel"
    assert time.monotonic() - started < 5
    assert browser_run.step("browser.navigate", url=site.url("/form.html"))["status"] == (
        "navigated"
    )
    assert any("opened a new tab" in message for _level, message in browser_run.logs)


def test_a_templated_timeout_string_is_accepted(browser_run, site):
    outputs = browser_run.step("browser.navigate", url=site.url("/form.html"), timeout="5000")

    assert outputs["status"] == "navigated"


def test_screenshot_stores_a_png_artifact_named_by_path(browser_run, site):
    browser_run.step("browser.navigate", url=site.url("/form.html"))

    outputs = browser_run.step("browser.screenshot", path="login/after.png")

    assert outputs == {"screenshot": "login_after.png", "status": "captured"}
    (shot,) = browser_run.kinds("screenshot")
    assert shot.path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.content_type == "image/png"


def test_screenshot_by_name_adds_png_and_can_be_jpeg_or_full_page(browser_run, site):
    browser_run.step("browser.navigate", url=site.url("/form.html"))

    named = browser_run.step("browser.screenshot", name="home")
    jpeg = browser_run.step("browser.screenshot", name="home.jpg", full_page="true")

    assert named["screenshot"] == "home.png"
    assert jpeg["screenshot"] == "home.jpg"
    assert browser_run.kinds("screenshot")[1].path.read_bytes()[:2] == b"\xff\xd8"


def test_screenshot_without_a_name_uses_the_time(browser_run):
    outputs = browser_run.step("browser.screenshot")

    assert outputs["screenshot"].startswith("screenshot_")
    assert outputs["screenshot"].endswith(".png")


@pytest.mark.parametrize(
    ("_case", "params", "message"),
    [
        ("both", {"name": "a", "path": "b"}, "browser.screenshot takes only one of name or path"),
        (
            "absolute",
            {"path": "/etc/x.png"},
            "'path' must be a relative name inside the run's artifacts: '/etc/x.png'",
        ),
        (
            "escape",
            {"name": "../x"},
            "'name' must be a relative name inside the run's artifacts: '../x'",
        ),
        ("flag", {"full_page": "maybe"}, "'full_page' must be true or false, not 'maybe'"),
        ("list", {"name": ["a"]}, "'name' must be text, not a list"),
    ],
)
def test_screenshot_rejects_bad_parameters(browser_run, _case, params, message):
    with pytest.raises(StepError) as failure:
        browser_run.step("browser.screenshot", **params)

    assert str(failure.value) == message


def test_skip_during_a_screenshot_of_a_hanging_page_is_an_interruption(browser_run, site):
    control = RunControl()
    control.skip()

    with pytest.raises(StepInterrupted) as interruption:
        browser_run.step("browser.screenshot", control=control)

    assert interruption.value.reason == "skip"
