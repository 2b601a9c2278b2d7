"""Parameters of a browser step, checked against its catalogue declaration at run time.

The loader validates literal values when a playbook is saved; templated values are only known
now, so types, enums, minimums and the one-of/exclusive groups are checked again here, and the
declared defaults are applied (the engine passes parameters as written).
"""

from typing import Any

from apps.steps.catalogue.browser import STEP_TYPES
from apps.steps.handlers import StepError
from apps.steps.schema import Param, ParamType, StepType

DECLARED: dict[str, StepType] = {step_type.id: step_type for step_type in STEP_TYPES}
_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


def bad(message: str) -> StepError:
    """A parameter problem: retrying cannot help."""
    return StepError(message, retryable=False)


def parse(step_type: str, params: dict[str, Any]) -> dict[str, Any]:
    """Return ``params`` with defaults applied and values coerced; ``StepError`` when invalid."""
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
    for group in declared.exclusive:
        if sum(name in values for name in group) > 1:
            raise bad(f"{step_type} takes only one of {' or '.join(group)}")
    return values


def _coerce(param: Param, value: Any) -> Any:
    if param.type is ParamType.INTEGER:
        value = _integer(param, value)
    elif param.type is ParamType.BOOLEAN:
        value = _boolean(param, value)
    elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
        value = str(value)
    else:
        raise bad(f"'{param.name}' must be text, not {type(value).__name__}")
    if param.type is ParamType.SELECTOR and not value.strip():
        raise bad(f"'{param.name}' is empty")
    if param.enum is not None and value not in param.enum:
        raise bad(f"'{param.name}' must be one of {', '.join(param.enum)}, not {value!r}")
    if param.relative_path and (value.startswith("/") or ".." in value.split("/")):
        raise bad(f"'{param.name}' must be a relative name inside the run's artifacts: {value!r}")
    return value


def _integer(param: Param, value: Any) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not text.lstrip("-").isdigit():
        unit = f" ({param.unit})" if param.unit else ""
        raise bad(f"'{param.name}' must be a whole number{unit}, not {value!r}")
    number = int(text)
    if param.minimum is not None and number < param.minimum:
        raise bad(f"'{param.name}' must be at least {param.minimum:g}, not {number}")
    return number


def _boolean(param: Param, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise bad(f"'{param.name}' must be true or false, not {value!r}")
