"""The originals' ``ai.*`` steps: placeholders (A) and a short-lived prototype, all removed.

They are declared so that old playbooks get a precise message; none of them can run.
"""

from apps.steps.schema import Param, ParamType, StepType

FAMILY = "ai"
_GONE = (
    "The originals' {id} was a placeholder that never produced a result and was removed; "
    "use perspective.verify_with_ai or perspective.analyze_with_ai"
)


def _ai(step_id: str, title: str, params: tuple[Param, ...], outputs: tuple[str, ...]) -> StepType:
    return StepType(
        id=step_id,
        family=FAMILY,
        title=title,
        description=f"Not available: {_GONE.format(id=step_id)}.",
        params=params,
        outputs=outputs,
        unavailable=_GONE.format(id=step_id),
    )


_CONTEXT = Param("context", ParamType.DICT, description="Extra context.")
_SCREENSHOT = Param("screenshot", ParamType.FILE, description="Screenshot file.")
_COMPONENTS = Param("components", ParamType.LIST, description="Component inventory.")
_PLACEHOLDER = ("success", "content", "confidence", "metadata")

STEP_TYPES = (
    _ai(
        "ai.generate",
        "Generate content (removed)",
        (Param("description", ParamType.STRING, description="What to generate."), _CONTEXT),
        _PLACEHOLDER,
    ),
    _ai(
        "ai.validate",
        "Validate a result (removed)",
        (
            Param("expected", ParamType.ANY, description="Expected value."),
            Param("actual", ParamType.ANY, description="Actual value."),
            _CONTEXT,
        ),
        _PLACEHOLDER,
    ),
    _ai(
        "ai.analyze",
        "Analyse a screenshot (removed)",
        (_SCREENSHOT, Param("question", ParamType.STRING, description="Question.")),
        _PLACEHOLDER,
    ),
    _ai(
        "ai.analyze_page_structure",
        "Predict component behaviour (removed)",
        (_SCREENSHOT, _COMPONENTS, _CONTEXT),
        ("status", "predictions", "confidence", "content", "component_count"),
    ),
    _ai(
        "ai.generate_test_cases",
        "Generate a test plan (removed)",
        (
            _COMPONENTS,
            Param("analysis", ParamType.DICT, description="Page analysis."),
            Param(
                "mode",
                ParamType.STRING,
                default="comprehensive",
                enum=("comprehensive", "smoke", "critical_path"),
                description="Plan depth.",
            ),
        ),
        ("status", "test_plan", "test_count", "mode", "confidence", "fallback"),
    ),
    _ai(
        "ai.verify_visual_consistency",
        "Check visual consistency (removed)",
        (_SCREENSHOT, Param("guidelines", ParamType.LIST, description="Style rules.")),
        ("status", "report", "issues_count"),
    ),
)
