"""perspective.discover_page and extract_component_metadata against the simulator's views."""

import time

import pytest

from apps.executions.engine.control import RunControl, StepInterrupted
from apps.steps.errors import StepError
from apps.steps.plugins.perspective import discover
from tests.steps.plugins.browser.harness import interrupt_later
from tests.steps.plugins.perspective.helpers import matches

# The fields spec §1.7 asks discovery to record, under the names this product uses.
FIELDS = {
    "id", "index", "type", "tag", "class", "selector", "css_path", "xpath", "text", "label",
    "placeholder", "title", "aria_label", "position", "visible", "enabled", "checked",
    "expanded", "component_path", "component_type", "data_attributes", "in_shadow_root",
}  # fmt: skip


@pytest.fixture
def home(on_page):
    return on_page("")


def by_id(inventory: list[dict]) -> dict[str, dict]:
    return {component["id"]: component for component in inventory if component["id"]}


def test_discovery_records_every_component_with_the_fields_of_the_spec(home):
    outputs = home.step("perspective.discover_page", selector="#app-container")

    components = by_id(outputs["inventory"])
    button = components["increment-button"]
    assert outputs["status"] == "discovered"
    assert outputs["root_selector"] == "#app-container"
    assert outputs["count"] == len(outputs["inventory"]) == 21
    assert set(button) >= FIELDS
    assert [c["index"] for c in outputs["inventory"]] == list(range(21))
    expected = {
        "type": "button",
        "tag": "button",
        "selector": "#increment-button",
        "text": "Increment",
        "component_path": "C$0:0.0:1",
        "component_type": "ia.input.button",
        "component_id": "increment-button",
        "xpath": "/html/body/div/button[1]",
        "visible": True,
        "enabled": True,
        "in_shadow_root": False,
    }
    assert {key: button[key] for key in expected} == expected
    assert button["data_attributes"] == {
        "component": "ia.input.button",
        "component-path": "C$0:0.0:1",
    }
    assert button["position"]["width"] > 0
    assert button["position"]["height"] > 0
    assert "T" in outputs["timestamp"]


def test_discovery_types_labels_and_states(home):
    components = by_id(home.step("perspective.discover_page")["inventory"])

    assert {key: c["type"] for key, c in components.items()} == {
        "title-label": "label",
        "increment-button": "button",
        "click-count": "label",
        "name-field": "input",
        "greeting": "label",
        "setpoint": "input",
        "pump-toggle": "toggle",
        "pump-state": "label",
        "mode-dropdown": "dropdown",
        "mode-state": "label",
        "open-dock": "button",
        "controls-link": "link",
        "defective-link": "link",
        "tank-gauge": "gauge",
        "refill-button": "button",
        "nav-dock": "container",
        "dock-controls-link": "link",
        "close-dock": "button",
    }
    name = components["name-field"]
    assert (name["label"], name["placeholder"], name["aria_label"]) == ("Name", "Your name", "Name")
    assert components["setpoint"]["value"] == "50"
    assert components["pump-toggle"]["checked"] is False
    assert components["mode-dropdown"]["expanded"] is False
    assert components["nav-dock"]["visible"] is False


def test_discovery_walks_into_shadow_roots(home):
    inventory = home.step("perspective.discover_page")["inventory"]

    refill = by_id(inventory)["refill-button"]
    assert refill["in_shadow_root"] is True
    assert refill["xpath"] is None  # XPath cannot reach into a shadow root
    assert refill["css_path"].startswith("#tank-gauge ")
    assert refill["component_path"] == "C$0:0.0:13:0"
    assert matches(home, refill["selector"]) == 1


def test_every_recorded_selector_finds_exactly_its_element(home):
    inventory = home.step("perspective.discover_page")["inventory"]

    options = [c for c in inventory if c["type"] == "option"]
    assert [c["data_attributes"]["value"] for c in options] == ["Auto", "Manual", "Off"]
    assert options[1]["selector"] == "#mode-dropdown > div > div:nth-of-type(2)"
    for component in inventory:
        assert matches(home, component["selector"]) == 1, component["selector"]
        assert matches(home, component["css_path"]) == 1, component["css_path"]
        if component["xpath"]:
            assert matches(home, f"xpath={component['xpath']}") == 1


def test_types_and_exclude_selectors_narrow_the_inventory(home):
    outputs = home.step(
        "perspective.discover_page",
        selector="#app-container",
        types=["Button", "link"],
        exclude_selectors=["#nav-dock"],
    )

    assert [c["id"] for c in outputs["inventory"]] == [
        "increment-button",
        "open-dock",
        "controls-link",
        "defective-link",
        "refill-button",
    ]


def test_discovery_under_a_row_records_positions_that_show_the_misaligned_button(on_page):
    run = on_page("defective")

    inventory = run.step("perspective.discover_page", selector="#button-row")["inventory"]

    tops = {c["id"]: c["position"]["y"] for c in inventory}
    assert list(tops) == ["row-button-0", "row-button-1", "row-button-2"]
    assert tops["row-button-1"] - tops["row-button-0"] == 9
    assert tops["row-button-2"] == tops["row-button-0"]


def test_discovery_of_an_element_without_id_uses_its_component_path(on_page):
    run = on_page("controls")

    inventory = run.step("perspective.discover_page", selector="#main-tabs")["inventory"]

    assert [(c["type"], c["component_id"]) for c in inventory] == [
        ("tab", "tab-0"),
        ("tab", "tab-1"),
    ]
    assert inventory[1]["selector"] == "#main-tabs > div:nth-of-type(2)"
    assert inventory[1]["label"] == "Settings"


def test_discovery_stops_at_its_limit_and_says_so(home, monkeypatch):
    monkeypatch.setattr(discover, "LIMIT", 3)

    outputs = home.step("perspective.discover_page")

    assert outputs["count"] == 3
    assert ("warning", "Discovery stopped at 3 components; narrow 'selector'.") in home.logs


def test_a_missing_root_times_out_with_what_was_found(home, monkeypatch):
    monkeypatch.setattr(discover, "ROOT_WAIT_MS", 300)

    with pytest.raises(StepError) as failure:
        home.step("perspective.discover_page", selector="#missing")

    assert str(failure.value).startswith(
        "No root element to discover: Timed out after 300 ms waiting for '#missing' to be "
        "attached: no element matches [saved failed-discover_page.png"
    )


def test_cancel_stops_discovery_waiting_for_its_root(home):
    control = RunControl()
    interrupt_later(control, 0.3)
    started = time.monotonic()

    with pytest.raises(StepInterrupted) as interruption:
        home.step("perspective.discover_page", selector="#never", control=control)

    assert interruption.value.reason == "cancel"
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"exclude_selectors": ["##"]}, "'##' in exclude_selectors is not a valid CSS selector"),
        ({"exclude_selectors": [""]}, "'exclude_selectors' must be a list of CSS selectors"),
        (
            {"exclude_selectors": "#a"},
            "'exclude_selectors' must be a list written as JSON (e.g. [1, 2]), not '#a'",
        ),
        ({"types": [["a"]]}, "'types' item 1 must be text, not a list"),
        ({"selector": " "}, "'selector' is empty"),
        ({"depth": 2}, "perspective.discover_page does not take depth (allowed: selector, types"),
        ({"selector": "div >> >> x"}, "Unexpected token"),
    ],
)
def test_bad_parameters_fail_without_retry(home, params, message):
    with pytest.raises(StepError) as failure:
        home.step("perspective.discover_page", **params)

    assert message in str(failure.value)
    assert failure.value.retryable is False


def test_rating_marks_how_reliable_each_selector_is(home):
    inventory = home.step("perspective.discover_page")["inventory"]

    outputs = home.step(
        "perspective.extract_component_metadata", components=[*inventory, {"tag": "div"}]
    )

    rated = outputs["enriched_inventory"]
    assert outputs["status"] == "enriched"
    assert outputs["count"] == len(inventory) + 1
    reliability = {c.get("id") or c.get("component_id"): c["selector_reliability"] for c in rated}
    assert reliability["increment-button"] == "high"
    assert reliability["option-9"] == "medium"  # only data-value
    assert reliability[None] == "low"
    button = rated[1]
    assert (button["has_id"], button["has_label"], button["is_perspective_component"]) == (
        True,
        True,
        True,
    )
    assert rated[-1] | {"analyzed_at": None} == {
        "tag": "div",
        "analyzed_at": None,
        "has_label": False,
        "has_id": False,
        "is_perspective_component": False,
        "selector_reliability": "low",
    }


def test_rating_an_empty_inventory_is_skipped_and_json_text_is_accepted(own_run):
    assert own_run.step("perspective.extract_component_metadata", components="[]") == {
        "status": "skipped",
        "enriched_inventory": [],
        "count": 0,
    }
    rated = own_run.step(
        "perspective.extract_component_metadata", components='[{"class": "ia_button"}]'
    )["enriched_inventory"]
    assert rated[0]["is_perspective_component"] is True
    assert own_run.resources.peek("browser") is None  # rating needs no browser


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "perspective.extract_component_metadata needs 'components'"),
        (
            {"components": "not json"},
            "'components' must be a list written as JSON (e.g. [1, 2]), not 'not json'",
        ),
        ({"components": [1]}, "'components' item 1 must be a component mapping"),
    ],
)
def test_rating_rejects_bad_parameters(own_run, params, message):
    with pytest.raises(StepError) as failure:
        own_run.step("perspective.extract_component_metadata", **params)

    assert str(failure.value).startswith(message)
    assert failure.value.retryable is False


def test_rating_stops_on_cancel_and_on_the_step_timeout(own_run):
    control = RunControl()
    control.cancel()

    with pytest.raises(StepInterrupted) as cancelled:
        own_run.step("perspective.extract_component_metadata", components=[{}], control=control)
    with pytest.raises(StepInterrupted) as timed_out:
        own_run.step("perspective.extract_component_metadata", components=[{}], step_timeout=1e-9)

    assert (cancelled.value.reason, timed_out.value.reason) == ("cancel", "timeout")
