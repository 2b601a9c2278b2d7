"""Parameters of an AI or designer step, checked against its catalogue declaration at run time.

The gateway steps' ``coerce`` does the common types; this adds what those families lack:
``credential`` parameters (a resolved vault credential or a credential name), ``float`` with
its minimum, and legacy keys that lenient playbooks may still carry (ignored with a warning,
their values never used).
"""

from typing import Any

from apps.credentials.services import ResolvedCredential
from apps.steps.plugins.gateway.params import bad, coerce
from apps.steps.schema import Param, ParamType, StepType


def parse(declared: StepType, params: dict[str, Any], log) -> dict[str, Any]:
    """Return ``params`` with defaults applied and values coerced; ``StepError`` when invalid."""
    legacy = {key.name: key for key in declared.legacy_params}
    unknown = sorted(set(params) - set(declared.param_names) - set(legacy))
    if unknown:
        allowed = ", ".join(declared.param_names) or "no parameters"
        raise bad(f"{declared.id} does not take {', '.join(unknown)} (allowed: {allowed})")
    for name in sorted(set(params) & set(legacy)):
        log(f"Ignored parameter '{name}': {legacy[name].hint}.", "warning")
    given = {k: v for k, v in params.items() if v is not None and k not in legacy}
    values = declared.apply_defaults(given)
    for param in declared.params:
        if param.name in values:
            values[param.name] = _value(param, values[param.name])
        elif param.required:
            raise bad(f"{declared.id} needs '{param.name}' ({param.description})")
    _check_groups(declared, values)
    return values


def _check_groups(declared: StepType, values: dict[str, Any]) -> None:
    for group in declared.one_of:
        if not any(name in values for name in group):
            raise bad(f"{declared.id} needs one of {' or '.join(group)}")
    for group in declared.exclusive:
        if sum(name in values for name in group) > 1:
            raise bad(f"{declared.id} takes only one of {' or '.join(group)}")


def _value(param: Param, value: Any) -> Any:
    if param.type is ParamType.CREDENTIAL:
        if isinstance(value, ResolvedCredential):
            return value
        if not isinstance(value, str) or not value.strip():
            raise bad(f"'{param.name}' must name a vault credential, not {value!r}")
        return value.strip()
    if param.type is ParamType.FLOAT:
        return _float(param, value)
    return coerce(param, value)


def _float(param: Param, value: Any) -> float:
    try:
        if isinstance(value, bool):
            raise ValueError(value)
        number = float(value)
    except (TypeError, ValueError):
        raise bad(f"'{param.name}' must be a number, not {value!r}") from None
    if param.minimum is not None and number < param.minimum:
        raise bad(f"'{param.name}' must be at least {param.minimum:g}, not {number:g}")
    return number
