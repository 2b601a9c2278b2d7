"""perspective.execute_test_manifest against the simulator's views, in a real Chromium."""

import time

import pytest

from apps.executions.engine.control import RunControl, StepInterrupted
from apps.steps.errors import StepError
from tests.steps.plugins.browser.harness import interrupt_later

# The default manifests of playbooks/perspective/test_buttons.yaml and test_inputs.yaml.
BUTTONS = [
    {"component_id": "increment-button", "action": "click", "selector": "#increment-button",
     "expected": "Clicks: 1"},
    {"component_id": "pump-toggle", "action": "click", "selector": "#pump-toggle",
     "expected": "Pump: ON"},
    {"component_id": "mode-dropdown", "action": "click", "selector": "#mode-dropdown",
     "expected": "Options open"},
    {"component_id": "open-dock", "action": "click", "selector": "#open-dock",
     "expected": "Dock opens"},
    {"component_id": "refill-button", "action": "click", "selector": "#refill-button",
     "expected": "Level: 100%"},
]  # fmt: skip
INPUTS = [
    {"component_id": "name-field", "action": "fill", "selector": "#name-field", "value": "Test",
     "expected": "Hello, Test"},
    {"component_id": "setpoint", "action": "fill", "selector": "#setpoint", "value": "42",
     "expected": "42"},
]  # fmt: skip
SUBMIT = {"component_id": "submit", "selector": "#submit-button", "expected": "Status: sent"}


def results_of(outputs: dict, *keys: str) -> list[tuple]:
    return [tuple(result[key] for key in keys) for result in outputs["results"]]


def test_the_button_manifest_passes_with_a_screenshot_per_test(on_page, perspective):
    run = on_page("")

    outputs = run.step(
        "perspective.execute_test_manifest",
        manifest=BUTTONS,
        baseline_url=perspective.url(""),
    )

    assert {key: outputs[key] for key in ("status", "total", "passed", "failed", "skipped")} == {
        "status": "passed",
        "total": 5,
        "passed": 5,
        "failed": 0,
        "skipped": 0,
    }
    assert results_of(outputs, "component_id", "actual") == [
        ("increment-button", "'Clicks: 1' shown"),  # 1, not 2: the page was reloaded between
        ("pump-toggle", "'Pump: ON' shown"),
        ("mode-dropdown", "The page changed; 'Options open' not shown"),
        ("open-dock", "The page changed; 'Dock opens' not shown"),
        ("refill-button", "'Level: 100%' shown"),  # inside the gauge's shadow root
    ]
    shots = [a.name for a in run.kinds("screenshot")]
    assert [r["screenshot"] for r in outputs["results"]] == shots
    assert shots[0] == "execute_test_manifest-01-increment-button.png"
    assert run.artifacts[0].path.read_bytes().startswith(b"\x89PNG")
    first = outputs["results"][0]
    assert first["error"] is None
    assert first["started_at"] < first["completed_at"]
    assert ("info", "Manifest: 5 passed, 0 failed, 0 skipped") in run.logs


def test_the_input_manifest_passes_and_reads_the_values_back(on_page):
    run = on_page("")

    outputs = run.step(
        "perspective.execute_test_manifest", manifest=INPUTS, capture_screenshots=False
    )

    assert results_of(outputs, "status", "actual") == [
        ("passed", "'Hello, Test' shown"),
        ("passed", "'42' shown"),
    ]
    assert run.artifacts == []


def test_the_defective_button_is_a_failed_test_with_a_screenshot(on_page):
    run = on_page("defective")

    outputs = run.step(
        "perspective.execute_test_manifest", manifest=[SUBMIT], capture_screenshots=False
    )

    assert (outputs["status"], outputs["passed"], outputs["failed"]) == ("failed", 0, 1)
    result = outputs["results"][0]
    assert result["error"] == (
        "No visible effect: nothing on the page changed within 1000 ms of the click"
    )
    assert result["screenshot"] == "execute_test_manifest-01-submit.png"  # even without capture
    assert run.kinds("screenshot")[0].path.stat().st_size > 1000
    assert run.logs[0][0] == "warning"
    assert "Test 1 (submit) failed" in run.logs[0][1]


def test_abort_stops_at_the_first_failure_and_skips_the_rest(on_page):
    run = on_page("defective")
    manifest = [SUBMIT, {"selector": "#home-link"}, {"selector": "#defect-title"}]

    outputs = run.step(
        "perspective.execute_test_manifest",
        manifest=manifest,
        on_failure="abort",
        capture_screenshots="no",
    )

    assert results_of(outputs, "component_id", "status") == [
        ("submit", "failed"),
        ("#home-link", "skipped"),
        ("#defect-title", "skipped"),
    ]
    assert (outputs["total"], outputs["failed"], outputs["skipped"]) == (3, 1, 2)
    assert outputs["results"][1]["error"] == "Not run: an earlier test failed (abort)"


def test_continue_runs_every_entry_and_a_link_navigates(on_page, perspective):
    run = on_page("defective")

    outputs = run.step(
        "perspective.execute_test_manifest",
        manifest=[SUBMIT, {"component_id": "home", "selector": "#home-link"}],
        capture_screenshots=False,
    )

    assert results_of(outputs, "status", "actual") == [
        ("failed", ""),
        ("passed", f"Navigated to {perspective.url('').rstrip('/')}"),
    ]


def test_a_missing_component_times_out_as_a_failed_test(on_page):
    run = on_page("")

    outputs = run.step(
        "perspective.execute_test_manifest",
        manifest=[{"selector": "#missing", "timeout": 300}],
        capture_screenshots=False,
    )

    assert outputs["results"][0]["error"] == (
        "Timed out after 300 ms waiting for '#missing' to be visible: no element matches"
    )


def test_a_covered_component_fails_with_what_covers_it(on_page):
    run = on_page("")
    manifest = [{"selector": "#open-dock"}, {"selector": "#pump-toggle", "timeout": 300}]

    outputs = run.step(
        "perspective.execute_test_manifest",
        manifest=manifest,
        return_to_baseline=False,
        capture_screenshots=False,
    )

    error = outputs["results"][1]["error"]
    assert error.startswith("Timed out after 300 ms on '#pump-toggle': ")
    assert "nav-dock" in error
    assert "intercepts pointer events" in error


def test_fill_fails_when_the_field_does_not_keep_the_value(on_page):
    run = on_page("controls")
    manifest = [
        {"component_id": "speed", "action": "fill", "selector": "#speed-slider", "value": "150"},
        {"component_id": "title", "action": "fill", "selector": "#controls-title"},
    ]

    outputs = run.step(
        "perspective.execute_test_manifest", manifest=manifest, capture_screenshots=False
    )

    assert results_of(outputs, "status") == [("failed",), ("failed",)]
    assert outputs["results"][0]["error"] == "The field holds '100' after filling '150'"
    assert "not an <input>" in outputs["results"][1]["error"]


def test_an_unreachable_baseline_fails_the_step(on_page):
    run = on_page("")

    with pytest.raises(StepError) as failure:
        run.step(
            "perspective.execute_test_manifest",
            manifest=[{"selector": "#open-dock"}, {"selector": "#open-dock"}],
            baseline_url="http://127.0.0.1:9/",
            capture_screenshots=False,
        )

    assert str(failure.value).startswith(
        "Could not return to the baseline page http://127.0.0.1:9/"
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "perspective.execute_test_manifest needs 'manifest'"),
        ({"manifest": {"selector": "#a"}}, "'manifest' must be a list, not a mapping"),
        ({"manifest": ["#a"]}, "'manifest' item 1 must be a mapping written as JSON"),
        ({"manifest": [{"selector": "#a", "action": "hover"}]},
         "manifest entry 1: 'action' must be click or fill, not 'hover'"),
        ({"manifest": [{"action": "click"}]}, "manifest entry 1 needs a 'selector'"),
        ({"manifest": [{"selector": "#a", "timeout": "1s"}]},
         "manifest entry 1: 'timeout' must be a whole number of ms, not '1s'"),
        ({"manifest": [], "on_failure": "stop"}, "'on_failure' must be one of continue, abort"),
        ({"manifest": [], "capture_screenshots": "maybe"},
         "'capture_screenshots' must be true or false, not 'maybe'"),
    ],
)  # fmt: skip
def test_bad_parameters_fail_before_any_test_runs(on_page, params, message):
    run = on_page("")

    with pytest.raises(StepError) as failure:
        run.step("perspective.execute_test_manifest", **params)

    assert str(failure.value).startswith(message)
    assert failure.value.retryable is False
    assert run.artifacts == []


def test_an_empty_manifest_passes_with_nothing_run(on_page):
    outputs = on_page("").step("perspective.execute_test_manifest", manifest="[]")

    assert outputs == {
        "status": "passed",
        "total": 0,
        "passed": 0,
        "failed": 0,
        "skipped": 0,
        "results": [],
    }


def test_cancel_stops_the_manifest_mid_test(on_page):
    run = on_page("")
    control = RunControl()
    interrupt_later(control, 0.4)
    started = time.monotonic()

    with pytest.raises(StepInterrupted) as interruption:
        run.step(
            "perspective.execute_test_manifest",
            manifest=[{"selector": "#open-dock"}, {"selector": "#never", "timeout": 0}],
            return_to_baseline=False,
            control=control,
        )

    assert interruption.value.reason == "cancel"
    assert time.monotonic() - started < 5


def test_the_step_timeout_stops_a_long_manifest(on_page):
    run = on_page("")
    started = time.monotonic()

    with pytest.raises(StepInterrupted) as interruption:
        run.step(
            "perspective.execute_test_manifest",
            manifest=[{"selector": "#never", "timeout": 0}],
            step_timeout=1,
        )

    assert interruption.value.reason == "timeout"
    assert time.monotonic() - started < 4
