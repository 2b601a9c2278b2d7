"""browser.wait, verify, verify_state, verify_text and verify_attribute in a real Chromium."""

import time

import pytest

from apps.executions.engine.control import RunControl, StepInterrupted
from apps.steps.errors import StepError
from tests.steps.plugins.browser.harness import interrupt_later


@pytest.fixture
def form(browser_run, site):
    browser_run.step("browser.navigate", url=site.url("/form.html"))
    return browser_run


@pytest.fixture
def late(browser_run, site):
    browser_run.step("browser.navigate", url=site.url("/late.html"))
    return browser_run


def test_wait_returns_once_the_element_shows_up(late):
    assert late.step("browser.wait", selector="#late", timeout=5000) == {
        "selector": "#late",
        "status": "found",
    }


def test_wait_times_out_with_what_was_found(form):
    with pytest.raises(StepError) as failure:
        form.step("browser.wait", selector="#nothing", timeout=300)

    assert str(failure.value).startswith(
        "Timed out after 300 ms waiting for '#nothing' to be visible: no element matches [saved"
    )


def test_wait_rejects_a_bad_timeout(form):
    with pytest.raises(StepError) as failure:
        form.step("browser.wait", selector="#name", timeout="1s")

    assert str(failure.value) == "'timeout' (in ms) must be a whole number, not '1s'"


@pytest.mark.parametrize("command", ["cancel", "skip"])
def test_cancel_or_skip_stops_a_blocked_wait(form, command):
    control = RunControl()
    interrupt_later(control, 0.4, command)
    started = time.monotonic()

    with pytest.raises(StepInterrupted) as interruption:
        form.step("browser.wait", selector="#never", timeout=0, control=control)

    assert interruption.value.reason == command
    assert time.monotonic() - started < 5
    assert form.page.title() == "Form"  # a sliced wait leaves the page alone


@pytest.mark.parametrize(
    ("_case", "params", "expected", "exists"),
    [
        ("present", {"selector": "#name"}, "visible", True),
        ("absent", {"selector": "#nothing", "exists": False}, "hidden", False),
        ("hidden counts as absent", {"selector": "#hidden", "exists": "false"}, "hidden", True),
        ("state wins", {"selector": "#hidden", "state": "attached"}, "attached", True),
        ("detached", {"selector": "#gone", "state": "detached", "exists": True}, "detached", False),
    ],
)
def test_verify_checks_presence_or_a_state(form, _case, params, expected, exists):
    outputs = form.step("browser.verify", **params)

    assert outputs == {
        "selector": params["selector"],
        "exists": exists,
        "expected": expected,
        "status": "verified",
        "message": f"'{params['selector']}' is {expected} as expected",
    }


def test_verify_fails_readably_when_the_element_is_missing(form):
    with pytest.raises(StepError) as failure:
        form.step("browser.verify", selector="#nothing", timeout=200)

    assert str(failure.value).startswith(
        "Verification failed: Timed out after 200 ms waiting for '#nothing' to be visible: "
        "no element matches [saved failed-verify"
    )


def test_verify_waits_for_an_element_to_go_away(late):
    assert late.step("browser.verify", selector="#vanish", exists=False)["status"] == "verified"


def test_verify_rejects_an_unknown_state(form):
    with pytest.raises(StepError) as failure:
        form.step("browser.verify", selector="#name", state="shiny")

    assert str(failure.value) == (
        "'state' must be one of visible, hidden, attached, detached, not 'shiny'"
    )


@pytest.mark.parametrize(
    ("selector", "state"),
    [("#name", "visible"), ("#hidden", "hidden"), ("#go", "enabled"), ("#off", "disabled")],
)
def test_verify_state_accepts_the_four_states(form, selector, state):
    assert form.step("browser.verify_state", selector=selector, state=state) == {
        "selector": selector,
        "expected_state": state,
        "status": "verified",
        "message": f"'{selector}' is {state} as expected",
    }


def test_verify_state_waits_for_a_button_to_become_enabled(late):
    outputs = late.step("browser.verify_state", selector="#later", state="enabled", timeout=5000)

    assert outputs["status"] == "verified"


@pytest.mark.parametrize(
    ("selector", "state", "message"),
    [
        ("#off", "enabled", "expected '#off' to be enabled within 300 ms, but it is disabled"),
        ("#go", "disabled", "expected '#go' to be disabled within 300 ms, but it is enabled"),
        ("#hidden", "visible", "Timed out after 300 ms waiting for '#hidden' to be visible"),
    ],
)
def test_verify_state_fails_with_the_actual_state(form, selector, state, message):
    with pytest.raises(StepError) as failure:
        form.step("browser.verify_state", selector=selector, state=state, timeout=300)

    assert str(failure.value).startswith(f"Verification failed: {message}")


def test_verify_state_needs_a_state(form):
    with pytest.raises(StepError) as failure:
        form.step("browser.verify_state", selector="#go")

    assert str(failure.value) == "browser.verify_state needs 'state' (Expected state.)"


@pytest.mark.parametrize(
    ("match", "text"), [("exact", "ready 42"), ("contains", "ready"), ("regex", r"ready \d+")]
)
def test_verify_text_retries_until_the_text_matches(late, match, text):
    outputs = late.step("browser.verify_text", selector="#status", text=text, match=match)

    assert outputs == {
        "selector": "#status",
        "expected_text": text,
        "actual_text": "ready 42",
        "match_type": match,
        "status": "verified",
        "message": f"Text of '#status' matches ({match}) {text!r}: found 'ready 42'",
    }


def test_verify_text_fails_with_the_actual_text(form):
    with pytest.raises(StepError) as failure:
        form.step("browser.verify_text", selector="#go", text="Stop", timeout=300)

    assert str(failure.value).startswith(
        "Verification failed: Text of '#go' does not match (exact) 'Stop': found 'Go'"
    )


def test_verify_text_rejects_a_bad_regex_and_a_bad_match(form):
    with pytest.raises(StepError) as regex:
        form.step("browser.verify_text", selector="#go", text="(", match="regex")
    with pytest.raises(StepError) as match:
        form.step("browser.verify_text", selector="#go", text="Go", match="fuzzy")

    assert str(regex.value).startswith("'text' is not a valid regex: missing ), unterminated")
    assert regex.value.retryable is False
    assert str(match.value) == "'match' must be one of exact, contains, regex, not 'fuzzy'"


def test_cancel_stops_verify_text_while_it_polls(form):
    control = RunControl()
    interrupt_later(control, 0.4)

    with pytest.raises(StepInterrupted):
        form.step("browser.verify_text", selector="#go", text="never", timeout=0, control=control)


def test_verify_attribute_retries_until_it_matches(late):
    outputs = late.step(
        "browser.verify_attribute", selector="#status", attribute="data-state", value="done"
    )

    assert outputs == {
        "selector": "#status",
        "attribute": "data-state",
        "expected_value": "done",
        "actual_value": "done",
        "status": "verified",
        "message": "Attribute 'data-state' of '#status' is 'done', expected 'done'",
    }


@pytest.mark.parametrize(
    ("attribute", "found"), [("data-role", "'primary'"), ("data-none", "missing")]
)
def test_verify_attribute_fails_with_the_actual_value(form, attribute, found):
    with pytest.raises(StepError) as failure:
        form.step(
            "browser.verify_attribute",
            selector="#link",
            attribute=attribute,
            value="x",
            timeout=200,
        )

    assert str(failure.value).startswith(
        f"Verification failed: Attribute '{attribute}' of '#link' is {found}, expected 'x'"
    )


def test_verify_attribute_needs_its_parameters_and_stops_on_cancel(form):
    control = RunControl()
    interrupt_later(control, 0.3)

    with pytest.raises(StepError) as failure:
        form.step("browser.verify_attribute", selector="#link", value="x")
    with pytest.raises(StepInterrupted):
        form.step(
            "browser.verify_attribute", selector="#nope", attribute="a", value="x", control=control
        )

    assert str(failure.value) == "browser.verify_attribute needs 'attribute' (Attribute name.)"


def test_verify_attribute_absent_passes_when_the_attribute_is_missing(form):
    outputs = form.step(
        "browser.verify_attribute", selector="#link", attribute="data-none", absent=True
    )

    assert (outputs["actual_value"], outputs["expected_value"]) == (None, None)
    assert outputs["message"] == "Attribute 'data-none' of '#link' is missing, expected absent"


def test_verify_attribute_absent_fails_when_the_attribute_is_there(form):
    with pytest.raises(StepError) as failure:
        form.step(
            "browser.verify_attribute",
            selector="#link",
            attribute="data-role",
            absent=True,
            timeout=200,
        )

    assert str(failure.value).startswith(
        "Verification failed: Attribute 'data-role' of '#link' is 'primary', expected absent"
    )
