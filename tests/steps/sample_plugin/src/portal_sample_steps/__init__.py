"""The declarations of this package's step types, found through its entry point."""

from apps.steps.schema import Param, ParamType, StepType

STEP_TYPES = [
    StepType(
        id="sample.greet",
        family="sample",
        title="Greet someone",
        description="Log a greeting and return it as the `greeting` output.",
        params=(
            Param("name", ParamType.STRING, required=True, description="Who to greet."),
            Param("times", ParamType.INTEGER, default=1, minimum=1, description="How often."),
        ),
        outputs=("greeting",),
        handler="portal_sample_steps.greet.run",
        example={"name": "{{ operator }}", "times": 2},
    ),
]
