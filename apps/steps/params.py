"""A step's parameters, checked against its catalogue declaration when the step runs.

The loader checks literal values when a playbook is saved; templated values are only known at
run time, so every handler passes its parameters through ``parse`` first: unknown keys, types,
enums, minimums and the one-of/exclusive groups are checked again and the declared defaults are
applied (the engine passes parameters as written). Values are typed by the rules every entry
point shares (``apps.steps.values``): text from a template or a form becomes the declared type,
JSON text a list or mapping. A ``credential`` or secret parameter may hold a whole
resolved vault credential. Legacy keys that lenient playbooks still carry are ignored with a
warning in the run's log; their values are never used.
"""

from collections.abc import Callable
from typing import Any

from apps.credentials.services import ResolvedCredential
from apps.steps.errors import StepError
from apps.steps.registry import get_step_type
from apps.steps.schema import TEXT_TYPES, Param, ParamType, StepType
from apps.steps.urls import web_url_problem
from apps.steps.values import items_convert, value_convert

Log = Callable[[str, str], None]


def bad(message: str) -> StepError:
    """A parameter problem: retrying cannot help."""
    return StepError(message, retryable=False)


def require(condition: bool, message: str) -> None:
    """Raise a parameter error (not retryable) unless ``condition`` holds."""
    if not condition:
        raise bad(message)


def parse(step_type: str, params: dict[str, Any], log: Log) -> dict[str, Any]:
    """Return ``params`` with defaults applied and values coerced; ``StepError`` when invalid."""
    declared = get_step_type(step_type)
    legacy = {key.name: key for key in declared.legacy_params}
    unknown = sorted(set(params) - set(declared.param_names) - set(legacy))
    if unknown:
        allowed = ", ".join(declared.param_names) or "no parameters"
        raise bad(f"{step_type} does not take {', '.join(unknown)} (allowed: {allowed})")
    for name in sorted(set(params) & set(legacy)):
        log(f"Ignored parameter '{name}': {legacy[name].hint}.", "warning")
    given = {k: v for k, v in params.items() if v is not None and k not in legacy}
    values = declared.apply_defaults(given)
    for param in declared.params:
        if param.name in values:
            values[param.name] = coerce(param, values[param.name])
        elif param.required:
            raise bad(f"{step_type} needs '{param.name}' ({param.description})")
    _check_groups(declared, values)
    return values


def _check_groups(declared: StepType, values: dict[str, Any]) -> None:
    for group in declared.one_of:
        if not any(name in values for name in group):
            raise bad(f"{declared.id} needs one of {' or '.join(group)}")
    for group in declared.exclusive:
        if sum(name in values for name in group) > 1:
            raise bad(f"{declared.id} takes only one of {' or '.join(group)}")


def coerce(param: Param, value: Any) -> Any:
    """One parameter's value as its declared type; ``StepError`` when it cannot be."""
    if param.type is ParamType.CREDENTIAL:
        return _credential(param, value)
    if param.secret and isinstance(value, ResolvedCredential):
        return value
    try:
        typed = value_convert(param.type, value)
        if param.items is not None and isinstance(typed, list):
            typed = items_convert(param.items, typed)
    except ValueError as exc:
        unit = f" (in {param.unit})" if param.unit else ""
        raise bad(f"'{param.name}'{unit} {exc}") from None
    if param.type in TEXT_TYPES and param.type is not ParamType.ANY:
        _check_text(param, typed)
    elif param.minimum is not None and isinstance(typed, int | float) and typed < param.minimum:
        shown = f"{typed:g}" if isinstance(typed, float) else typed
        raise bad(f"'{param.name}' must be at least {param.minimum:g}, not {shown}")
    return typed


def _check_text(param: Param, text: str) -> None:
    if param.type is ParamType.SELECTOR and not text.strip():
        raise bad(f"'{param.name}' is empty")
    if param.enum is not None and text not in param.enum:
        raise bad(f"'{param.name}' must be one of {', '.join(param.enum)}, not {text!r}")
    if param.relative_path and (text.startswith("/") or ".." in text.split("/")):
        raise bad(f"'{param.name}' must be a relative name inside the run's artifacts: {text!r}")
    problem = web_url_problem(text) if param.web_url else None
    if problem:
        raise bad(f"'{param.name}': {problem}")


def _credential(param: Param, value: Any) -> Any:
    if isinstance(value, ResolvedCredential):
        return value
    if not isinstance(value, str) or not value.strip():
        raise bad(f"'{param.name}' must name a vault credential, not {value!r}")
    return value.strip()
