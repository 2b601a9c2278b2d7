"""Checks of each step's keys and options (§2.3); its parameters are checked in ``parameters``."""

from __future__ import annotations

import re
from typing import Any

from apps.playbooks.loader.document import did_you_mean
from apps.playbooks.loader.issues import Collector
from apps.playbooks.loader.literals import describe
from apps.playbooks.loader.source import Path
from apps.steps.registry import UnknownStepTypeError, get_step_type
from apps.steps.schema import StepType

STEP_KEYS = (
    "id",
    "name",
    "type",
    "parameters",
    "on_failure",
    "timeout",
    "retry_count",
    "retry_delay",
)
STEP_DEFAULTS = {"on_failure": "abort", "timeout": 300, "retry_count": 0, "retry_delay": 5}
ON_FAILURE = ("abort", "continue")
ID_PATTERN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
STEP_KEY_MISTAKES = {
    "retry": "Write 'retry_count: N' (extra attempts) and optionally 'retry_delay: S' "
    "(seconds) on the step",
    "retries": "Write 'retry_count: N' on the step",
    "params": "Write 'parameters:'",
}
ROLLBACK_HINT = (
    "There is no rollback or cleanup-steps format: use 'on_failure: abort', or "
    "'on_failure: continue' followed by explicit cleanup steps"
)


def check_step_header(item: Any, path: Path, c: Collector) -> tuple[str | None, StepType | None]:
    """Check id, name, type and the step options; return (id, step type) when usable."""
    if not isinstance(item, dict):
        c.error(
            f"A step must be a mapping, found {describe(item)}",
            path,
            hint="Write each step as '- id: ...' with 'name:' and 'type:'",
        )
        return None, None
    step_id = _check_id(item, path, c)
    scope = (step_id, path)
    for key in ("id", "name", "type"):
        if key not in item:
            c.error(f"Missing required key '{key}'", path, step=scope, hint=f"Add '{key}: ...'")
    if "name" in item and (not isinstance(item["name"], str) or not item["name"].strip()):
        c.error("'name' must be non-empty text", (*path, "name"), step=scope)
    _check_step_keys(item, path, c, scope)
    _check_options(item, path, c, scope)
    return step_id, _check_type(item, path, c, scope)


def _check_id(item: dict, path: Path, c: Collector) -> str | None:
    value = item.get("id")
    if value is None:
        return None
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        c.error(
            f"Step id {value!r} is not usable in '{{{{ step.<id>.<key> }}}}'",
            (*path, "id"),
            hint="Use text made of letters, digits, '_' and '-'",
        )
        return None
    return value


def _check_step_keys(item: dict, path: Path, c: Collector, scope: tuple) -> None:
    for key in [k for k in item if k not in STEP_KEYS]:
        hint = (
            STEP_KEY_MISTAKES.get(key)
            or did_you_mean(key, STEP_KEYS)
            or ("Allowed keys: " + ", ".join(STEP_KEYS))
        )
        c.ignorable(f"Unknown step key '{key}'", (*path, key), hint=hint, step=scope)


def _check_type(item: dict, path: Path, c: Collector, scope: tuple) -> StepType | None:
    value = item.get("type")
    if value is None:
        return None
    if not isinstance(value, str):
        c.error(f"'type' must be text, found {describe(value)}", (*path, "type"), step=scope)
        return None
    try:
        step_type = get_step_type(value)
    except UnknownStepTypeError as exc:
        c.error(str(exc), (*path, "type"), step=scope)
        return None
    if step_type.unavailable:
        c.error(f"{value} cannot run", (*path, "type"), step=scope, hint=step_type.unavailable)
        return None
    return step_type


def _check_options(item: dict, path: Path, c: Collector, scope: tuple) -> None:
    on_failure = item.get("on_failure", "abort")
    if on_failure == "rollback":
        c.error(
            "'on_failure: rollback' is not supported",
            (*path, "on_failure"),
            step=scope,
            hint=ROLLBACK_HINT,
        )
    elif on_failure not in ON_FAILURE:
        c.error(
            f"'on_failure' must be 'abort' or 'continue', found {on_failure!r}",
            (*path, "on_failure"),
            step=scope,
        )
    for key, minimum, integer in (
        ("timeout", 0, False),
        ("retry_count", 0, True),
        ("retry_delay", 0, False),
    ):
        if key in item:
            _check_number(item[key], (*path, key), c, scope, minimum=minimum, integer=integer)
    if item.get("timeout") == 0:
        c.error("'timeout' must be more than 0 seconds", (*path, "timeout"), step=scope)


def _check_number(
    value: Any, path: Path, c: Collector, scope: tuple, *, minimum: float, integer: bool
) -> None:
    expected = int if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, expected):
        what = "a whole number" if integer else "a number of seconds"
        c.error(f"'{path[-1]}' must be {what}, found {describe(value)}", path, step=scope)
    elif value < minimum:
        c.error(f"'{path[-1]}' must be at least {minimum}", path, step=scope)


def normalise_step(item: dict, step_id: str, parameters: dict) -> dict[str, Any]:
    """Return the step with every option filled in (the engine's view of it)."""
    # A missing name is already an error of the playbook; the step is still built, so the
    # other checks can report what else is wrong.
    name = item.get("name", "")
    step = {"id": step_id, "name": name, "type": item["type"], "parameters": parameters}
    step.update({key: item.get(key, default) for key, default in STEP_DEFAULTS.items()})
    return step
