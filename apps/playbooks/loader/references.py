"""Static checks of the template references in step parameters (§2.4)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from apps.playbooks.loader.document import did_you_mean
from apps.playbooks.loader.issues import Collector
from apps.playbooks.loader.source import Path
from apps.playbooks.templating import CREDENTIAL_FIELDS, Reference, TemplateError, split
from apps.steps.schema import StepType

_FIELDS = ", ".join(CREDENTIAL_FIELDS)


@dataclass
class ReferenceScope:
    """What a step may refer to: parameters, earlier steps and variables set before it."""

    parameters: dict[str, str]
    all_step_ids: set[str]
    credential_names: set[str] | None
    earlier_steps: dict[str, StepType] = field(default_factory=dict)
    variables: set[str] = field(default_factory=set)
    variables_dynamic: bool = False
    set_later: dict[str, str] = field(default_factory=dict)  # variable -> step that sets it

    def record_step(self, step_id: str | None, step_type: StepType, parameters: dict) -> None:
        """Make a checked step visible to the steps after it."""
        if step_id is not None:
            self.earlier_steps[step_id] = step_type
        if step_type.id == "utility.python":
            self.variables_dynamic = True  # set_variable() inside a script can set any name
        elif step_type.id == "utility.set_variable":
            name = parameters.get("name")
            if isinstance(name, str) and "{{" not in name:
                self.variables.add(name)
            else:
                self.variables_dynamic = True


def _strings(value: Any, path: Path) -> Iterator[tuple[str, Path]]:
    if isinstance(value, str):
        yield value, path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def check_references(
    parameters: dict,
    step_type: StepType,
    step: tuple[str | None, Path],
    scope: ReferenceScope,
    c: Collector,
) -> None:
    """Report malformed references and references to things that do not exist at this step."""
    for key, value in parameters.items():
        param = step_type.get_param(key)
        legacy = step_type.get_legacy(key)
        if param is None and legacy is not None and legacy.replaces:
            param = step_type.get_param(legacy.replaces)  # 'code:' is checked as the script
        if param is not None and not param.templated:
            continue
        for text, path in _strings(value, (*step[1], "parameters", key)):
            try:
                parts = split(text)
            except TemplateError as exc:
                c.error(str(exc), path, step=step)
                continue
            for reference in parts:
                if isinstance(reference, Reference):
                    problem = _problem(reference, step[0], scope)
                    if problem is not None:
                        c.error(problem[0], path, step=step, hint=problem[1])


def _problem(ref: Reference, step_id: str | None, scope: ReferenceScope) -> tuple | None:
    checks = {
        "parameter": _parameter,
        "credential": _credential,
        "variable": _variable,
        "step": _step,
    }
    return checks[ref.kind](ref, step_id, scope)


def _parameter(ref: Reference, _step_id: str | None, scope: ReferenceScope) -> tuple | None:
    if ref.name not in scope.parameters:
        hint = did_you_mean(ref.name, sorted(scope.parameters)) or (
            f"Declare it under 'parameters:' (- name: {ref.name}, type: string)"
        )
        return f"'{ref.text}' refers to an undeclared parameter '{ref.name}'", hint
    param_type = scope.parameters[ref.name]
    if not ref.path or param_type in ("dict", "list"):
        return None
    if param_type == "credential":
        if len(ref.path) == 1 and ref.path[0] in CREDENTIAL_FIELDS:
            return None
        return f"'{ref.text}': a credential has no '{'.'.join(ref.path)}'", f"Use one of: {_FIELDS}"
    return (
        f"'{ref.text}': parameter '{ref.name}' is a {param_type}, it has no fields",
        f"Write '{{{{ {ref.name} }}}}'",
    )


def _credential(ref: Reference, _step_id: str | None, scope: ReferenceScope) -> tuple | None:
    names = scope.credential_names
    if names is not None and ref.name not in names:
        hint = did_you_mean(ref.name, sorted(names))
        if ref.name in scope.parameters:
            hint = f"'{ref.name}' is a parameter: write '{{{{ parameter.{ref.name} }}}}'"
        return f"'{ref.text}' refers to credential '{ref.name}', which does not exist", hint
    if ref.path and (len(ref.path) > 1 or ref.path[0] not in CREDENTIAL_FIELDS):
        return f"'{ref.text}': a credential has no '{'.'.join(ref.path)}'", f"Use one of: {_FIELDS}"
    return None


def _variable(ref: Reference, _step_id: str | None, scope: ReferenceScope) -> tuple | None:
    if scope.variables_dynamic or ref.name in scope.variables:
        return None
    message = f"'{ref.text}': variable '{ref.name}' is not set by any earlier step"
    if ref.name in scope.set_later:
        setter = scope.set_later[ref.name]
        return message, f"Step '{setter}' sets it, but runs later: move '{setter}' before this step"
    if ref.name in scope.parameters:
        return message, f"'{ref.name}' is a parameter: write '{{{{ {ref.name} }}}}'"
    hint = did_you_mean(ref.name, sorted(scope.variables))
    return message, hint or f"Set it first with a utility.set_variable step (name: {ref.name})"


def variable_setters(items: list) -> dict[str, str]:
    """Variable names set by literal ``utility.set_variable`` steps -> the first such step."""
    setters: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict) or item.get("type") != "utility.set_variable":
            continue
        name = (
            (item.get("parameters") or {}).get("name")
            if isinstance(item.get("parameters"), dict)
            else None
        )
        if isinstance(name, str) and isinstance(item.get("id"), str):
            setters.setdefault(name, item["id"])
    return setters


def _step(ref: Reference, step_id: str | None, scope: ReferenceScope) -> tuple | None:
    if ref.name == step_id:
        return f"'{ref.text}': a step cannot use its own output", None
    if ref.name not in scope.earlier_steps:
        if ref.name in scope.all_step_ids:
            return (
                f"'{ref.text}': step '{ref.name}' runs after this step",
                "Only earlier steps can be referenced",
            )
        return (
            f"'{ref.text}' refers to an unknown step '{ref.name}'",
            did_you_mean(ref.name, sorted(scope.earlier_steps)),
        )
    outputs = scope.earlier_steps[ref.name].outputs
    if not ref.path or outputs is None or ref.path[0] in outputs:
        return None
    step_type = scope.earlier_steps[ref.name].id
    return (
        f"'{ref.text}': {step_type} has no output '{ref.path[0]}'",
        did_you_mean(ref.path[0], outputs)
        or ("Its outputs: " + ", ".join(outputs) if outputs else "It has no outputs"),
    )
