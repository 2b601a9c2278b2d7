"""Browser steps (Playwright, Chromium). Selectors are Playwright selectors; timeouts are in ms."""

from apps.steps.catalogue.common import BROWSER, artifact_name, selector, timeout_ms
from apps.steps.schema import LegacyKey, Param, ParamType, StepType

FAMILY = "browser"
_REQ = (BROWSER,)
_VERIFY_STATES = ("visible", "hidden", "attached", "detached")

STEP_TYPES = (
    StepType(
        id="browser.navigate",
        family=FAMILY,
        handler="apps.steps.plugins.browser.navigate.run",
        title="Open a URL",
        description="Load a page in the run's browser tab.",
        params=(
            Param(
                "url",
                ParamType.STRING,
                required=True,
                web_url=True,
                description="Address to open.",
            ),
            Param(
                "wait_until",
                ParamType.STRING,
                default="load",
                enum=("load", "domcontentloaded", "networkidle"),
                description="Page event that ends the navigation.",
            ),
            timeout_ms(30000, "How long the navigation may take."),
        ),
        outputs=("url", "status"),
        requires=_REQ,
        legacy_params=(
            LegacyKey(
                "wait_for",
                "Use 'wait_until: load', 'domcontentloaded' or 'networkidle', "
                "or add a browser.wait step for the selector to wait for",
            ),
        ),
        example={
            "url": "{{ gateway_url }}/web/home",
            "wait_until": "networkidle",
            "timeout": 30000,
        },
    ),
    StepType(
        id="browser.click",
        family=FAMILY,
        handler="apps.steps.plugins.browser.click.run",
        title="Click an element",
        description="Click the element; `force` bypasses actionability checks (e.g. backdrops).",
        params=(
            selector(),
            timeout_ms(30000),
            Param("force", ParamType.BOOLEAN, default=False, description="Skip actionability."),
        ),
        outputs=("selector", "status", "force"),
        requires=_REQ,
        example={"selector": "#login-link", "timeout": 15000},
    ),
    StepType(
        id="browser.fill",
        family=FAMILY,
        handler="apps.steps.plugins.browser.fill.run",
        title="Fill an input",
        description="Replace the input's value. Values that came from a credential are masked "
        "in logs and events.",
        params=(
            selector(),
            Param("value", ParamType.STRING, required=True, description="Text to enter."),
            timeout_ms(30000),
        ),
        outputs=("selector", "status"),
        requires=_REQ,
        example={
            "selector": "input[name=username]",
            "value": "{{ credential.gateway_admin.username }}",
            "timeout": 15000,
        },
    ),
    StepType(
        id="browser.screenshot",
        family=FAMILY,
        handler="apps.steps.plugins.browser.screenshot.run",
        title="Take a screenshot",
        description="Store a PNG screenshot as an artifact of the run. `path` (the originals' "
        "key) is a relative artifact path such as `login/after.png`; `name` is a bare name.",
        params=(
            artifact_name("name", "Screenshot name (default `screenshot_<time>`)."),
            artifact_name("path", "Relative artifact path of the screenshot."),
            Param("full_page", ParamType.BOOLEAN, default=False, description="Whole page."),
        ),
        outputs=("screenshot", "status"),
        requires=_REQ,
        exclusive=(("name", "path"),),
        example={"path": "login/signed_in.png", "full_page": True},
    ),
    StepType(
        id="browser.wait",
        family=FAMILY,
        handler="apps.steps.plugins.browser.wait.run",
        title="Wait for an element",
        description="Wait until the element is visible.",
        params=(selector(), timeout_ms(30000)),
        outputs=("selector", "status"),
        requires=_REQ,
        example={"selector": "a[href$=logout]", "timeout": 30000},
    ),
    StepType(
        id="browser.verify",
        family=FAMILY,
        handler="apps.steps.plugins.browser.verify.run",
        title="Verify an element exists",
        description="Assert that the element is present (`exists: true`) or absent. With "
        "`state` the element must reach that Playwright state instead.",
        params=(
            selector(),
            Param("exists", ParamType.BOOLEAN, default=True, description="Expect presence."),
            Param("state", ParamType.STRING, enum=_VERIFY_STATES, description="State to reach."),
            timeout_ms(5000),
        ),
        outputs=("selector", "exists", "expected", "status", "message"),
        requires=_REQ,
        example={"selector": ".login-error", "exists": False, "timeout": 3000},
    ),
    StepType(
        id="browser.file_upload",
        family=FAMILY,
        handler="apps.steps.plugins.browser.file_upload.run",
        title="Upload a file",
        description="Set the files of a file input.",
        params=(
            selector("Selector of the file input."),
            Param("file_path", ParamType.FILE, required=True, description="File to upload."),
            timeout_ms(30000),
        ),
        outputs=("selector", "file_path", "status"),
        requires=_REQ,
        example={
            "selector": "input[type=file]",
            "file_path": "{{ module_file }}",
            "timeout": 60000,
        },
    ),
    StepType(
        id="browser.verify_text",
        family=FAMILY,
        handler="apps.steps.plugins.browser.verify_text.run",
        title="Verify an element's text",
        description="Compare the element's text with `text`.",
        params=(
            selector(),
            Param("text", ParamType.STRING, required=True, description="Expected text."),
            Param(
                "match",
                ParamType.STRING,
                default="exact",
                enum=("exact", "contains", "regex"),
                description="How to compare.",
            ),
            timeout_ms(5000),
        ),
        outputs=("selector", "expected_text", "actual_text", "match_type", "status", "message"),
        requires=_REQ,
        example={"selector": "#pump-state", "text": "Pump: ON", "match": "exact"},
    ),
    StepType(
        id="browser.verify_attribute",
        family=FAMILY,
        handler="apps.steps.plugins.browser.verify_text.run_attribute",
        title="Verify an attribute",
        description="Assert that an attribute equals `value` exactly, or with `absent: true` "
        "that the element does not have it.",
        params=(
            selector(),
            Param("attribute", ParamType.STRING, required=True, description="Attribute name."),
            Param("value", ParamType.STRING, description="Expected value."),
            Param(
                "absent",
                ParamType.BOOLEAN,
                description="`true`: check that the attribute is not there (instead of `value`).",
            ),
            timeout_ms(5000),
        ),
        one_of=(("value", "absent"),),
        exclusive=(("value", "absent"),),
        outputs=("selector", "attribute", "expected_value", "actual_value", "status", "message"),
        requires=_REQ,
        example={"selector": "#pump-toggle", "attribute": "aria-checked", "value": "true"},
    ),
    StepType(
        id="browser.verify_state",
        family=FAMILY,
        handler="apps.steps.plugins.browser.verify.run_state",
        title="Verify an element's state",
        description="Assert that the element is visible, hidden, enabled or disabled.",
        params=(
            selector(),
            Param(
                "state",
                ParamType.STRING,
                required=True,
                enum=("visible", "hidden", "enabled", "disabled"),
                description="Expected state.",
            ),
            timeout_ms(5000),
        ),
        outputs=("selector", "expected_state", "status", "message"),
        requires=_REQ,
        example={"selector": "#start-pump", "state": "enabled", "timeout": 10000},
    ),
    StepType(
        id="browser.get_text",
        family=FAMILY,
        handler="apps.steps.plugins.browser.get_text.run",
        title="Read an element's text",
        description="Return the trimmed text (the value for inputs and text areas).",
        params=(selector(), timeout_ms(30000)),
        outputs=("selector", "text", "status"),
        requires=_REQ,
        example={"selector": "#tank-level", "timeout": 10000},
    ),
    StepType(
        id="browser.keyboard",
        family=FAMILY,
        handler="apps.steps.plugins.browser.keyboard.run",
        title="Press keys or type text",
        description="Press a key or chord (`Enter`, `Control+A`) or type `text`, after focusing "
        "`selector` when given.",
        params=(
            Param("key", ParamType.STRING, description="Playwright key name or chord."),
            Param("text", ParamType.STRING, description="Text typed character by character."),
            Param("selector", ParamType.SELECTOR, description="Element to focus first."),
            timeout_ms(30000),
        ),
        outputs=("status", "key", "text"),
        requires=_REQ,
        one_of=(("key", "text"),),
        exclusive=(("key", "text"),),
        example={"key": "Enter", "selector": "input[name=password]"},
    ),
)
