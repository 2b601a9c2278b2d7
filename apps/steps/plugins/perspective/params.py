"""Parameters of the perspective.* and fat.* steps, checked against the catalogue at run time.

Scalars are checked as the browser steps check them; lists and dicts may also arrive as JSON
text (a value typed into a form), and list items are checked against the declared item type.
"""

import contextlib
import json
from typing import Any

from apps.steps.catalogue import fat, perspective
from apps.steps.handlers import StepError
from apps.steps.plugins.browser.params import _coerce as coerce_scalar
from apps.steps.plugins.browser.params import bad
from apps.steps.schema import Param, ParamType, StepType

DECLARED: dict[str, StepType] = {
    step_type.id: step_type for step_type in (*perspective.STEP_TYPES, *fat.STEP_TYPES)
}
STRUCTURED = {ParamType.LIST: list, ParamType.DICT: dict}
NAMES = {list: "a list", dict: "a mapping", str: "text"}


def parse(step_type: str, params: dict[str, Any]) -> dict[str, Any]:
    """Return ``params`` with defaults applied and values checked; ``StepError`` when invalid."""
    declared = DECLARED[step_type]
    unknown = sorted(set(params) - set(declared.param_names))
    if unknown:
        allowed = ", ".join(declared.param_names)
        raise bad(f"{step_type} does not take {', '.join(unknown)} (allowed: {allowed})")
    values = declared.apply_defaults({k: v for k, v in params.items() if v is not None})
    for param in declared.params:
        if param.name in values:
            values[param.name] = _coerce(param, values[param.name])
        elif param.required:
            raise bad(f"{step_type} needs '{param.name}' ({param.description})")
    for group in declared.one_of:
        if not any(name in values for name in group):
            raise bad(f"{step_type} needs one of {' or '.join(group)}")
    return values


def _coerce(param: Param, value: Any) -> Any:
    expected = STRUCTURED.get(param.type)
    if expected is None:
        return coerce_scalar(param, value)
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = json.loads(value)
    if not isinstance(value, expected):
        raise bad(f"'{param.name}' must be {NAMES[expected]}, not {type(value).__name__}")
    item_type = {ParamType.DICT: dict, ParamType.STRING: str}.get(param.items)
    if expected is list and item_type is not None:
        for index, item in enumerate(value):
            if not isinstance(item, item_type):
                raise bad(
                    f"'{param.name}' item {index + 1} must be {NAMES[item_type]}, "
                    f"not {type(item).__name__}"
                )
    return value


def require(condition: bool, message: str) -> None:
    """Raise a parameter error (not retryable) unless ``condition`` holds."""
    if not condition:
        raise StepError(message, retryable=False)
