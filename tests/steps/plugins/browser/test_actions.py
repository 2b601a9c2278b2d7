"""browser.click, fill, keyboard, file_upload and get_text in a real Chromium."""

import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from apps.executions.engine.control import RunControl, StepInterrupted
from apps.steps.errors import StepError
from apps.steps.plugins.browser.click import PERFORMED
from apps.steps.plugins.browser.waiting import Deadline, first_try
from tests.steps.plugins.browser.harness import interrupt_later


@pytest.fixture
def form(browser_run, site):
    browser_run.step("browser.navigate", url=site.url("/form.html"))
    return browser_run


def text_of(run, selector: str) -> str:
    return run.step("browser.get_text", selector=selector)["text"]


def test_fill_then_click_changes_the_page(form):
    filled = form.step("browser.fill", selector="#name", value="Ada")
    clicked = form.step("browser.click", selector="#go")

    assert filled == {"selector": "#name", "status": "filled"}
    assert clicked == {"selector": "#go", "status": "clicked", "force": False}
    assert text_of(form, "#out") == "Hello Ada"


def test_click_waits_for_an_element_that_appears_later(browser_run, site):
    browser_run.step("browser.navigate", url=site.url("/late.html"))

    outputs = browser_run.step("browser.click", selector="#later", timeout=5000)
    clicks = browser_run.step(
        "browser.verify_attribute", selector="#later", attribute="data-clicks", value="1"
    )

    assert outputs["status"] == "clicked"
    assert clicks["actual_value"] == "1"  # the first try timed out before clicking: one click


class Timeout:
    """What a Playwright call raises when its timeout ends, with its call log."""

    def __init__(self, log: str) -> None:
        self.log = log

    def __call__(self, timeout: float) -> None:
        raise PlaywrightTimeoutError(f"Timeout {timeout:g}ms exceeded.\nCall log:\n{self.log}")


def test_a_first_try_that_timed_out_after_acting_counts_as_done():
    context = RunControl()
    performed = Timeout("  - element is visible, enabled and stable\n  - performing click action")
    waiting = Timeout("  - waiting for locator('#later')")

    assert first_try(context, performed, Deadline(5000), performed=PERFORMED) == (True, None)
    assert first_try(context, waiting, Deadline(5000), performed=PERFORMED) == (False, None)
    assert first_try(context, performed, Deadline(5000)) == (False, None)


def test_force_click_reaches_an_element_under_a_backdrop(browser_run, site):
    browser_run.step("browser.navigate", url=site.url("/late.html"))

    with pytest.raises(StepError) as failure:
        browser_run.step("browser.click", selector="#under", timeout=300)
    outputs = browser_run.step("browser.click", selector="#under", force=True)

    assert str(failure.value).startswith(
        "Timed out after 300 ms on '#under': <div id=\"shade\"></div> intercepts pointer events"
    )
    assert outputs == {"selector": "#under", "status": "clicked", "force": True}


def test_click_times_out_naming_the_selector_and_what_was_found(form):
    with pytest.raises(StepError) as failure:
        form.step("browser.click", selector="#hidden", timeout=400)

    assert str(failure.value).startswith(
        "Timed out after 400 ms waiting for '#hidden' to be visible: "
        "1 element matches, the first is hidden [saved failed-click"
    )
    assert [a.kind for a in form.artifacts] == ["screenshot", "html"]
    assert "Hidden text" in form.artifacts[1].path.read_text()


def test_click_on_a_disabled_button_times_out_in_the_action(form):
    with pytest.raises(StepError) as failure:
        form.step("browser.click", selector="#off", timeout=300)

    assert str(failure.value).startswith(
        "Timed out after 300 ms on '#off': element is not enabled [saved failed-click"
    )
    assert failure.value.retryable is True


@pytest.mark.parametrize(
    ("step_type", "params", "message"),
    [
        (
            "browser.click",
            {},
            "browser.click needs 'selector' (Playwright selector of the element.)",
        ),
        ("browser.click", {"selector": " "}, "'selector' is empty"),
        ("browser.click", {"selector": "#go", "force": 2}, "'force' must be true or false, not 2"),
        ("browser.fill", {"selector": "#name"}, "browser.fill needs 'value' (Text to enter.)"),
        (
            "browser.get_text",
            {"selector": "#x", "timeout": True},
            "'timeout' (in ms) must be a whole number, not true",
        ),
        ("browser.keyboard", {}, "browser.keyboard needs one of key or text"),
        (
            "browser.keyboard",
            {"key": "a", "text": "b"},
            "browser.keyboard takes only one of key or text",
        ),
        (
            "browser.file_upload",
            {"selector": "#file"},
            "browser.file_upload needs 'file_path' (File to upload.)",
        ),
    ],
)
def test_actions_reject_bad_parameters(browser_run, step_type, params, message):
    with pytest.raises(StepError) as failure:
        browser_run.step(step_type, **params)

    assert str(failure.value) == message
    assert failure.value.retryable is False


def test_an_invalid_selector_is_a_permanent_error(form):
    with pytest.raises(StepError) as failure:
        form.step("browser.click", selector="#go[", timeout=500)

    assert failure.value.retryable is False


@pytest.mark.parametrize("step_type", ["browser.click", "browser.fill", "browser.get_text"])
def test_cancel_stops_an_action_waiting_for_its_element(form, step_type):
    control = RunControl()
    interrupt_later(control, 0.4)
    started = time.monotonic()
    params = {"value": "x"} if step_type == "browser.fill" else {}

    with pytest.raises(StepInterrupted) as interruption:
        form.step(step_type, selector="#never", control=control, **params)

    assert interruption.value.reason == "cancel"
    assert time.monotonic() - started < 5
    assert form.artifacts == []


def test_a_step_timeout_in_seconds_stops_a_long_wait(form):
    with pytest.raises(StepInterrupted) as interruption:
        form.step("browser.click", selector="#never", step_timeout=0.5)

    assert interruption.value.reason == "timeout"


def test_get_text_returns_trimmed_text_or_the_value_of_inputs(form):
    form.step("browser.fill", selector="#name", value="  typed ")

    assert form.step("browser.get_text", selector="#notes") == {
        "selector": "#notes",
        "text": "some notes",
        "status": "extracted",
    }
    assert text_of(form, "#name") == "typed"
    assert text_of(form, ".many") == "one"


def test_get_text_times_out_when_nothing_matches(form):
    with pytest.raises(StepError) as failure:
        form.step("browser.get_text", selector="#nothing", timeout=300)

    assert str(failure.value).startswith(
        "Timed out after 300 ms waiting for '#nothing' to be attached: no element matches"
    )


def test_keyboard_presses_a_key_into_the_focused_page(form):
    outputs = form.step("browser.keyboard", key="Enter")

    assert outputs == {"status": "pressed", "key": "Enter", "text": ""}
    assert text_of(form, "#keys") == "[Enter]"


def test_keyboard_types_text_into_an_element(form):
    typed = form.step("browser.keyboard", text="abc", selector="#keys-input")
    chord = form.step("browser.keyboard", key="Control+A", selector="#keys-input")
    form.step("browser.keyboard", key="Backspace")
    form.step("browser.keyboard", text="z")

    assert typed == {"status": "typed", "key": "", "text": "abc"}
    assert chord["status"] == "pressed"
    assert text_of(form, "#keys-input") == "z"


def test_keyboard_rejects_an_unknown_key(form):
    with pytest.raises(StepError) as failure:
        form.step("browser.keyboard", key="Hyper")

    assert str(failure.value).startswith('Unknown key: "Hyper"')
    assert failure.value.retryable is False


def test_keyboard_times_out_on_a_missing_element(form):
    with pytest.raises(StepError) as failure:
        form.step("browser.keyboard", key="Enter", selector="#nothing", timeout=300)

    assert "waiting for '#nothing' to be visible: no element matches" in str(failure.value)


def test_file_upload_sets_the_files_of_the_input(form):
    upload = form.folder / "module.modl"
    upload.write_bytes(b"module")

    outputs = form.step("browser.file_upload", selector="#file", file_path="module.modl")

    real = str(upload.resolve())
    assert outputs == {"selector": "#file", "file_path": real, "status": "uploaded"}
    assert text_of(form, "#files") == "module.modl"


def test_file_upload_of_a_missing_file_is_a_permanent_error(form):
    with pytest.raises(StepError) as failure:
        form.step("browser.file_upload", selector="#file", file_path="none")

    assert str(failure.value) == "'file_path': no file 'none' in this run's folder"
    assert failure.value.retryable is False


def test_file_upload_times_out_without_the_input(form):
    (form.folder / "a.txt").write_text("a")

    with pytest.raises(StepError) as failure:
        form.step("browser.file_upload", selector="#nope", file_path="a.txt", timeout=200)

    assert "'#nope' to be attached: no element matches" in str(failure.value)
