"""perspective.verify_navigation and perspective.verify_dock_opened in a real Chromium."""

import time

import pytest

from apps.executions.engine.control import RunControl, StepInterrupted
from apps.steps.errors import StepError
from tests.steps.plugins.browser.harness import interrupt_later


@pytest.fixture
def home(on_page):
    return on_page("")


def test_navigation_is_verified_right_after_the_click_that_starts_it(home, perspective):
    home.step("browser.click", selector="#controls-link")

    outputs = home.step(
        "perspective.verify_navigation",
        expected_url_pattern="/controls",
        expected_title_pattern="Controls",
    )

    assert outputs == {
        "status": "verified",
        "url": perspective.url("controls"),
        "title": "Controls - SimDemo",
        "message": f"On {perspective.url('controls')} ('Controls - SimDemo') as expected",
    }


def test_one_pattern_is_enough(home):
    outputs = home.step("perspective.verify_navigation", expected_title_pattern="Home", timeout=0)

    assert outputs["title"] == "Home - SimDemo"


def test_a_wrong_page_fails_after_the_timeout_naming_both_mismatches(home, perspective):
    started = time.monotonic()

    with pytest.raises(StepError) as failure:
        home.step(
            "perspective.verify_navigation",
            expected_url_pattern="/nowhere",
            expected_title_pattern="Nowhere",
            timeout=400,
        )

    assert time.monotonic() - started >= 0.4
    assert str(failure.value).startswith(
        "Verification failed after 400 ms: the URL "
        f"'{perspective.url()}' does not contain '/nowhere'; the title 'Home - SimDemo' does not "
        "contain 'Nowhere' [saved failed-verify_navigation.png"
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "perspective.verify_navigation needs one of expected_url_pattern or "),
        ({"expected_url_pattern": "/", "timeout": "soon"},
         "'timeout' (in ms) must be a whole number, not 'soon'"),
        ({"expected_url_pattern": "/", "timeout": -1}, "'timeout' must be at least 0, not -1"),
    ],
)  # fmt: skip
def test_navigation_rejects_bad_parameters(home, params, message):
    with pytest.raises(StepError) as failure:
        home.step("perspective.verify_navigation", **params)

    assert str(failure.value).startswith(message)
    assert failure.value.retryable is False


def test_cancel_stops_a_navigation_check_that_waits(home):
    control = RunControl()
    interrupt_later(control, 0.3)

    with pytest.raises(StepInterrupted) as interruption:
        home.step(
            "perspective.verify_navigation",
            expected_url_pattern="/never",
            timeout=0,
            control=control,
        )

    assert interruption.value.reason == "cancel"


def test_an_opened_dock_is_verified(home):
    home.step("browser.click", selector="#open-dock")

    outputs = home.step("perspective.verify_dock_opened", dock_selector="#nav-dock")

    assert outputs == {
        "status": "opened",
        "dock_selector": "#nav-dock",
        "message": "Dock '#nav-dock' is open",
    }


def test_a_closed_dock_times_out_with_what_was_found(home):
    with pytest.raises(StepError) as failure:
        home.step("perspective.verify_dock_opened", dock_selector="#nav-dock", timeout=300)

    assert str(failure.value).startswith(
        "The dock did not open: Timed out after 300 ms waiting for '#nav-dock' to be visible: "
        "1 element matches, the first is hidden [saved failed-verify_dock_opened.png"
    )
    assert [a.kind for a in home.artifacts] == ["screenshot", "html"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "perspective.verify_dock_opened needs 'dock_selector'"),
        ({"dock_selector": ""}, "'dock_selector' is empty"),
        ({"dock_selector": "#d", "wait": 1}, "perspective.verify_dock_opened does not take wait"),
    ],
)
def test_dock_check_rejects_bad_parameters(home, params, message):
    with pytest.raises(StepError) as failure:
        home.step("perspective.verify_dock_opened", **params)

    assert str(failure.value).startswith(message)


def test_cancel_stops_a_dock_check_that_waits(home):
    control = RunControl()
    interrupt_later(control, 0.3, "skip")

    with pytest.raises(StepInterrupted) as interruption:
        home.step(
            "perspective.verify_dock_opened", dock_selector="#nav-dock", timeout=0, control=control
        )

    assert interruption.value.reason == "skip"
