"""A step's parameters, checked against its catalogue declaration when the step runs.

The loader checks literal values when a playbook is saved; templated values are only known at
run time, so every handler passes its parameters through ``parse`` first: unknown keys, types,
enums, minimums and the one-of/exclusive groups are checked again and the declared defaults are
applied (the engine passes parameters as written). Lists and mappings may also arrive as JSON
text (a value typed into a form). A ``credential`` or secret parameter may hold a whole
resolved vault credential. Legacy keys that lenient playbooks still carry are ignored with a
warning in the run's log; their values are never used.
"""

from collections.abc import Callable
from typing import Any

from apps.core.json_input import JsonTooDeepError, json_loads_bounded
from apps.credentials.services import ResolvedCredential
from apps.steps.errors import StepError
from apps.steps.registry import get_step_type
from apps.steps.schema import Param, ParamType, StepType
from apps.steps.urls import web_url_problem

Log = Callable[[str, str], None]
_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")
_CONTAINERS = {ParamType.LIST: list, ParamType.DICT: dict}
_ITEMS = {ParamType.DICT: dict, ParamType.STRING: str}
_NAMES = {list: "a list", dict: "a mapping", str: "text"}


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


def coerce(param: Param, value: Any) -> Any:  # noqa: PLR0911 - one return per type
    """One parameter's value as its declared type; ``StepError`` when it cannot be."""
    if param.type is ParamType.ANY:
        return value
    if param.type is ParamType.CREDENTIAL:
        return _credential(param, value)
    if param.type in _CONTAINERS:
        return _container(param, value)
    if param.type is ParamType.INTEGER:
        return _integer(param, value)
    if param.type is ParamType.FLOAT:
        return _float(param, value)
    if param.type is ParamType.BOOLEAN:
        return _boolean(param, value)
    if param.secret and isinstance(value, ResolvedCredential):
        return value
    return _text(param, value)


def _text(param: Param, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise bad(f"'{param.name}' must be text, not {type(value).__name__}")
    text = str(value)
    if param.type is ParamType.SELECTOR and not text.strip():
        raise bad(f"'{param.name}' is empty")
    if param.enum is not None and text not in param.enum:
        raise bad(f"'{param.name}' must be one of {', '.join(param.enum)}, not {text!r}")
    if param.relative_path and (text.startswith("/") or ".." in text.split("/")):
        raise bad(f"'{param.name}' must be a relative name inside the run's artifacts: {text!r}")
    problem = web_url_problem(text) if param.web_url else None
    if problem:
        raise bad(f"'{param.name}': {problem}")
    return text


def _credential(param: Param, value: Any) -> Any:
    if isinstance(value, ResolvedCredential):
        return value
    if not isinstance(value, str) or not value.strip():
        raise bad(f"'{param.name}' must name a vault credential, not {value!r}")
    return value.strip()


def _container(param: Param, value: Any) -> Any:
    expected = _CONTAINERS[param.type]
    if isinstance(value, str):
        try:
            value = json_loads_bounded(value)
        except JsonTooDeepError as exc:
            raise bad(f"'{param.name}' {exc}") from None
        except ValueError:
            pass  # not JSON: refused below as text
    if not isinstance(value, expected):
        raise bad(f"'{param.name}' must be {_NAMES[expected]}, not {type(value).__name__}")
    if expected is list and param.items is ParamType.INTEGER:
        return [_integer(param, item) for item in value]
    item_type = _ITEMS.get(param.items)
    if expected is list and item_type is not None:
        for index, item in enumerate(value):
            if not isinstance(item, item_type):
                raise bad(
                    f"'{param.name}' item {index + 1} must be {_NAMES[item_type]}, "
                    f"not {type(item).__name__}"
                )
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


def _boolean(param: Param, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise bad(f"'{param.name}' must be true or false, not {value!r}")
