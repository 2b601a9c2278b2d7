"""Perspective steps: page discovery, component tests and AI checks (need a browser)."""

from apps.steps.catalogue.common import BROWSER, timeout_ms
from apps.steps.schema import LegacyKey, Param, ParamType, StepType

FAMILY = "perspective"
_REQ = (BROWSER,)
_AI_KEY = LegacyKey(
    "ai_api_key",
    "AI keys are never playbook parameters: store the key as an 'AI API key' credential and "
    "name it in 'ai_credential' (or leave it out to use the configured one)",
)
_AI_COMMON = (
    Param("selector", ParamType.SELECTOR, description="Element to capture (default the page)."),
    Param("ai_model", ParamType.STRING, description="Model name (default the credential's)."),
    Param("ai_credential", ParamType.CREDENTIAL, description="'AI API key' credential to use."),
)

STEP_TYPES = (
    StepType(
        id="perspective.discover_page",
        family=FAMILY,
        handler="apps.steps.plugins.perspective.discover.run",
        title="Discover a page's components",
        description="Walk the DOM (shadow roots included) and record every interactive "
        "element: selectors, text, labels, position, state and Perspective component path.",
        params=(
            Param("selector", ParamType.SELECTOR, default="body", description="Root element."),
            Param(
                "types",
                ParamType.LIST,
                items=ParamType.STRING,
                description="Component types to keep (default all).",
            ),
            Param(
                "exclude_selectors",
                ParamType.LIST,
                items=ParamType.STRING,
                default=[],
                description="Selectors whose elements are skipped.",
            ),
        ),
        outputs=("status", "count", "inventory", "timestamp", "root_selector"),
        requires=_REQ,
        example={
            "selector": "#app-container",
            "types": ["button", "toggle", "dropdown", "input"],
            "exclude_selectors": ["#nav-dock"],
        },
    ),
    StepType(
        id="perspective.extract_component_metadata",
        family=FAMILY,
        handler="apps.steps.plugins.perspective.discover.run_rate",
        title="Rate component selectors",
        description="Add label, id, Perspective and selector-reliability facts to an inventory.",
        params=(
            Param(
                "components",
                ParamType.LIST,
                required=True,
                description="Inventory, e.g. `{{ step.discover.inventory }}`.",
            ),
        ),
        outputs=("status", "enriched_inventory", "count"),
        example={"components": "{{ step.discover.inventory }}"},
    ),
    StepType(
        id="perspective.execute_test_manifest",
        family=FAMILY,
        handler="apps.steps.plugins.perspective.manifest.run",
        title="Run a component test manifest",
        description="Click or fill each listed component and record pass or fail, with "
        "screenshots and an optional return to the baseline page between tests.",
        params=(
            Param(
                "manifest",
                ParamType.LIST,
                required=True,
                items=ParamType.DICT,
                description="Entries {component_id, action: click|fill, selector, value, "
                "expected, timeout (ms, default 5000)}.",
            ),
            Param(
                "capture_screenshots",
                ParamType.BOOLEAN,
                default=True,
                description="Screenshot after each test.",
            ),
            Param(
                "on_failure",
                ParamType.STRING,
                default="continue",
                enum=("continue", "abort"),
                description="Whether a failed entry stops the manifest.",
            ),
            Param(
                "return_to_baseline",
                ParamType.BOOLEAN,
                default=True,
                description="Reload the baseline page between tests.",
            ),
            Param(
                "baseline_url",
                ParamType.STRING,
                web_url=True,
                description="Baseline page (default the current page).",
            ),
        ),
        outputs=("status", "total", "passed", "failed", "skipped", "results"),
        requires=_REQ,
        example={
            "manifest": [
                {
                    "component_id": "pump-toggle",
                    "action": "click",
                    "selector": "#pump-toggle",
                    "expected": "Pump: ON",
                },
                {
                    "component_id": "setpoint",
                    "action": "fill",
                    "selector": "#setpoint-input",
                    "value": "75",
                    "expected": "Setpoint: 75",
                    "timeout": 10000,
                },
            ],
            "on_failure": "continue",
            "baseline_url": "{{ gateway_url }}/data/perspective/client/{{ project_name }}",
        },
    ),
    StepType(
        id="perspective.verify_navigation",
        family=FAMILY,
        handler="apps.steps.plugins.perspective.verify.run",
        title="Verify the current page",
        description="Wait for the network to settle, then check that each pattern is part of "
        "the URL or the title.",
        params=(
            Param("expected_url_pattern", ParamType.STRING, description="Part of the URL."),
            Param("expected_title_pattern", ParamType.STRING, description="Part of the title."),
            timeout_ms(5000, "How long to wait for the page to settle."),
        ),
        outputs=("status", "url", "title", "message"),
        requires=_REQ,
        one_of=(("expected_url_pattern", "expected_title_pattern"),),
        example={
            "expected_url_pattern": "/controls",
            "expected_title_pattern": "Controls",
            "timeout": 10000,
        },
    ),
    StepType(
        id="perspective.verify_dock_opened",
        family=FAMILY,
        handler="apps.steps.plugins.perspective.verify.run_dock",
        title="Verify a dock opened",
        description="Wait for the dock to be visible.",
        params=(
            Param("dock_selector", ParamType.SELECTOR, required=True, description="Dock element."),
            timeout_ms(3000, "How long to wait for the dock."),
        ),
        outputs=("status", "dock_selector", "message"),
        requires=_REQ,
        example={"dock_selector": "#nav-dock", "timeout": 3000},
    ),
    StepType(
        id="perspective.verify_with_ai",
        family=FAMILY,
        handler="apps.steps.plugins.ai.steps.run_verify",
        title="Verify a screen with AI",
        description="Ask a vision model whether the page (or element) satisfies the prompt; "
        "fails unless it passes with at least the confidence threshold. Fails with a clear "
        "message when no AI credential is configured.",
        params=(
            Param("prompt", ParamType.STRING, required=True, description="What must be true."),
            *_AI_COMMON,
            Param(
                "confidence_threshold",
                ParamType.FLOAT,
                default=0.8,
                minimum=0,
                description="Minimum confidence (0 to 1).",
            ),
        ),
        outputs=("status", "passed", "confidence", "threshold", "explanation", "details"),
        requires=_REQ,
        legacy_params=(_AI_KEY,),
        example={
            "prompt": "The tank gauge shows a level between 0 and 100 % and no component "
            "shows an error overlay",
            "selector": "#tank-view",
            "ai_credential": "vision_ai",
            "confidence_threshold": 0.85,
        },
    ),
    StepType(
        id="perspective.analyze_with_ai",
        family=FAMILY,
        handler="apps.steps.plugins.ai.steps.run_analyze",
        title="Analyse a screen with AI",
        description="Free-form vision analysis of the page or an element.",
        params=(
            Param("prompt", ParamType.STRING, required=True, description="Question to answer."),
            *_AI_COMMON,
        ),
        outputs=("status", "analysis"),
        requires=_REQ,
        legacy_params=(_AI_KEY,),
        example={
            "prompt": "List every label that is cut off, overlaps a component or is hard to read",
            "ai_credential": "vision_ai",
        },
    ),
)
