"""Checks of a step's parameters against its step type's schema (§2.3)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from apps.playbooks.loader.children import ChildRef, check_child_call
from apps.playbooks.loader.document import check_credential_name, did_you_mean
from apps.playbooks.loader.issues import Collector
from apps.playbooks.loader.literals import TYPE_WORDS, describe, literal_value, quote_hint
from apps.playbooks.loader.originals import migrate_step
from apps.playbooks.loader.scripts import script_references
from apps.playbooks.loader.source import Path
from apps.playbooks.templating import TemplateError, has_template, single_reference, split
from apps.steps.schema import TEXT_TYPES, Param, ParamType, StepType
from apps.steps.urls import url_scheme, web_url_problem

_URL_HINT = "Write the page's address, e.g. '{{ gateway_url }}/web/home' or 'https://host/page'"
_FILE_HINT = (
    "Give a file of the run's folder by a relative name (e.g. one an earlier step downloaded), "
    "or an absolute path inside a folder the administrator allows (WORKER_INPUT_DIRS)"
)
_STEP_OPTION_HINT = "It is a step option, not a parameter: move it out of 'parameters' to the step"


@dataclass
class StepContext:
    """What the parameter checks of one step need to know."""

    step_id: str | None
    path: Path
    step_type: StepType
    credential_names: set[str] | None
    child_exists: Any
    c: Collector
    definitions: dict[str, dict] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)  # new key -> key as written
    reported: set[str] = field(default_factory=set)  # parameters already refused as a whole

    @property
    def secret_parameters(self) -> set[str]:
        return {name for name, d in self.definitions.items() if d.get("secret")}

    def parameter_type(self, name: str) -> str | None:
        return self.definitions.get(name, {}).get("type")

    def error(self, message: str, path: Path, **kwargs) -> None:
        self.c.error(message, path, step=(self.step_id, self.path), **kwargs)

    def ignorable(self, message: str, path: Path, **kwargs) -> bool:
        return self.c.ignorable(message, path, step=(self.step_id, self.path), **kwargs)


def check_parameters(item: dict, ctx: StepContext) -> dict[str, Any]:
    """Check the step's parameters against its schema and return them (lenient drops removed)."""
    parameters = item.get("parameters")
    path = (*ctx.path, "parameters")
    if parameters is None:
        parameters = {}
    elif not isinstance(parameters, dict):
        ctx.error(f"'parameters' must be a mapping, found {describe(parameters)}", path)
        return {}
    parameters = migrate_step(parameters, ctx)
    replaced = set()
    for key, value in parameters.items():
        param = ctx.step_type.get_param(key)
        if param is not None:
            check_value(param, value, (*path, ctx.renamed.get(key, key)), ctx)
        else:
            replaced |= _check_undeclared(key, (*path, key), ctx)
    _check_presence(parameters, replaced, path, ctx)
    if ctx.step_type.id == "playbook.run":
        _check_child(parameters, (*path, "playbook"), ctx)
    return {k: v for k, v in parameters.items() if k not in ctx.dropped}


def _check_undeclared(key: str, path: Path, ctx: StepContext) -> set[str]:
    step_type = ctx.step_type
    legacy = step_type.get_legacy(key)
    if legacy is not None and legacy.replaces:
        ctx.error(f"{step_type.id} has no parameter '{key}'", path, at_key=True, hint=legacy.hint)
        return {legacy.replaces}
    message = f"{step_type.id} has no parameter '{key}'"
    if legacy is not None:
        hint = legacy.hint
    elif step_type.accepts_extra_params:
        return set()  # a parameter of the child playbook
    elif key in ("timeout", "retry_count", "retry_delay", "on_failure"):
        hint = _STEP_OPTION_HINT
    else:
        names = step_type.param_names
        hint = did_you_mean(key, names) or (
            "Allowed: " + ", ".join(names) if names else f"{step_type.id} takes no parameters"
        )
    if ctx.ignorable(message, path, hint=hint):
        ctx.dropped.append(key)
    return set()


def _check_presence(parameters: dict, replaced: set[str], path: Path, ctx: StepContext) -> None:
    step_type = ctx.step_type
    for param in step_type.params:
        if param.required and parameters.get(param.name) is None and param.name not in replaced:
            ctx.error(
                f"{step_type.id} needs parameter '{param.name}'",
                path,
                hint=f"Add '{param.name}:' under 'parameters' ({param.description})",
            )
    present = {k for k, v in parameters.items() if v is not None}
    for group in step_type.one_of:
        if not present & set(group):
            ctx.error(f"{step_type.id} needs one of " + _names(group), path)
    for group in step_type.exclusive:
        both = [name for name in group if name in present]
        if len(both) > 1:
            ctx.error(f"Give only one of {_names(group)}", (*path, both[-1]), at_key=True)


def _names(group: tuple[str, ...]) -> str:
    return " or ".join(f"'{name}'" for name in group)


def check_value(param: Param, value: Any, path: Path, ctx: StepContext) -> None:
    """Check one declared parameter's value: templates, type, enum, minimum, items, paths."""
    if value is None:
        return
    if isinstance(value, str) and has_template(value):
        _check_template_value(param, value, path, ctx)
        return
    try:
        typed = literal_value(param.type, value)
    except ValueError as exc:
        ctx.error(f"'{param.name}' {exc}", path, hint=quote_hint(param.type))
        return
    _check_literal(param, typed, path, ctx)


def _check_template_value(param: Param, value: str, path: Path, ctx: StepContext) -> None:
    if not param.templated:
        if param.name in ctx.reported:
            return
        for occurrence in script_references(value):
            text = occurrence.reference.text
            ctx.error(
                f"Templates are not allowed in '{param.name}' ('{text}')",
                path,
                hint="Values are never spliced into code: pass them as data under 'inputs' "
                f"(e.g. inputs: {{x: '{text}'}}) and read inputs['x'] (lenient import does this)",
            )
        return
    try:
        single = single_reference(value)
        first = split(value)[0]
    except TemplateError:
        return  # reported by the reference checks
    if param.web_url and isinstance(first, str) and url_scheme(first):
        _check_web_url(param, first, path, ctx)
    if single is None and param.type not in TEXT_TYPES:
        ctx.error(
            f"'{param.name}' mixes text and references, so it would be text, but it must "
            f"be {TYPE_WORDS[param.type]}",
            path,
            hint="Use exactly one reference such as '{{ parameter.name }}', which keeps its type",
        )


def _check_literal(param: Param, value: Any, path: Path, ctx: StepContext) -> None:
    if param.enum is not None and value not in param.enum:
        allowed = ", ".join(str(v) for v in param.enum)
        ctx.error(
            f"'{param.name}' must be one of: {allowed}; found {value!r}",
            path,
            hint=did_you_mean(value, [str(v) for v in param.enum]),
        )
    elif param.minimum is not None and value < param.minimum:
        ctx.error(f"'{param.name}' must be at least {param.minimum:g}", path)
    elif param.relative_path and not _is_relative(value):
        ctx.error(
            f"'{param.name}' must be a relative path without '..', found {value!r}",
            path,
            hint="Files are stored with the run; write a name such as 'login/after.png'",
        )
    elif param.web_url:
        _check_web_url(param, value, path, ctx)
    elif param.type is ParamType.FILE and ".." in re.split(r"[\\/]", value):
        ctx.error(f"'{param.name}' must not contain '..', found {value!r}", path, hint=_FILE_HINT)
    elif param.type == "selector" and not value.strip():
        ctx.error(f"'{param.name}' must not be empty", path)
    elif param.type == "credential" and ctx.credential_names is not None:
        step = (ctx.step_id, ctx.path)
        check_credential_name(value, path, ctx.c, ctx.credential_names, step=step)
    elif param.items is not None:
        _check_items(param, value, path, ctx)


def _check_web_url(param: Param, value: str, path: Path, ctx: StepContext) -> None:
    problem = web_url_problem(value)
    if problem:
        ctx.error(f"'{param.name}': {problem}", path, hint=_URL_HINT)


def _check_items(param: Param, value: list, path: Path, ctx: StepContext) -> None:
    for index, element in enumerate(value):
        if isinstance(element, str) and has_template(element):
            continue
        try:
            literal_value(param.items, element)
        except ValueError as exc:
            where = (*path, index)
            ctx.error(f"'{param.name}' item {index + 1} {exc}", where, hint=quote_hint(param.items))


def _is_relative(value: str) -> bool:
    parts = re.split(r"[\\/]", value)
    drive = re.match(r"^[A-Za-z]:", value)
    return bool(value) and not value.startswith(("/", "\\")) and not drive and ".." not in parts


def _check_child(parameters: dict, path: Path, ctx: StepContext) -> None:
    playbook = parameters.get("playbook")
    if not isinstance(playbook, str) or has_template(playbook) or ctx.child_exists is None:
        return
    if not _is_relative(playbook):
        return  # reported by the relative-path check
    found = ctx.child_exists(playbook)
    if not found:
        ctx.error(
            f"Child playbook '{playbook}' not found",
            path,
            hint="Give the path relative to the playbook library, e.g. "
            "'gateway/gateway_login.yaml'",
        )
        return
    if not isinstance(found, ChildRef):
        return
    if found.problem:
        ctx.error(found.problem, path)
        return
    if found.path != playbook:
        parameters["playbook"] = found.path
    if found.note:
        ctx.c.issue(found.note, path, step=(ctx.step_id, ctx.path), severity="warning")
    check_child_call(parameters, found, ctx)
