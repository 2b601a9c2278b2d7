"""Playbook composition: run another playbook as one step."""

from apps.steps.schema import LegacyKey, Param, ParamType, StepType

FAMILY = "playbook"

STEP_TYPES = (
    StepType(
        id="playbook.run",
        family=FAMILY,
        title="Run another playbook",
        description="Run a verified playbook as one step, sharing the browser, gateway session "
        "and controls. Every key except `playbook` is a parameter of the child, resolved in "
        "this playbook. A failed child step fails this step unless the child step continues on "
        "failure. At most 3 levels of nesting; cycles are refused.",
        params=(
            Param(
                "playbook",
                ParamType.STRING,
                required=True,
                relative_path=True,
                description="Path of the child, e.g. `gateway/gateway_login.yaml`.",
            ),
        ),
        outputs=("playbook", "status", "steps_executed", "steps"),
        accepts_extra_params=True,
        composes=True,
        legacy_params=(
            LegacyKey(
                "playbook_path",
                "The child's path goes under 'playbook:', e.g. "
                "'playbook: gateway/gateway_login.yaml'",
                ignorable=False,
                replaces="playbook",
            ),
        ),
        example={
            "playbook": "gateway/gateway_login.yaml",
            "gateway_url": "{{ gateway_url }}",
            "gateway_credential": "gateway_admin",
        },
    ),
)
