"""Load and validate playbook YAML: the whole format, every step against its schema, references.

``load_playbook`` either returns a ``LoadedPlaybook`` or raises ``PlaybookValidationError``
listing every error with file, line, column, step id, key and what to write instead. It never
raises anything else for any input text.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from apps.playbooks.loader.document import check_parameters, check_top_level
from apps.playbooks.loader.issues import (
    Collector,
    PlaybookValidationError,
    ValidationIssue,
)
from apps.playbooks.loader.literals import describe
from apps.playbooks.loader.parameters import StepContext
from apps.playbooks.loader.parameters import check_parameters as check_step_parameters
from apps.playbooks.loader.references import (
    ReferenceScope,
    check_references,
    variable_setters,
)
from apps.playbooks.loader.source import Marks, YamlError, parse_yaml
from apps.playbooks.loader.steps import check_step_header, normalise_step

__all__ = [
    "LoadedPlaybook",
    "PlaybookValidationError",
    "ValidationIssue",
    "load_playbook",
]


@dataclass(frozen=True)
class LoadedPlaybook:
    """A valid playbook: its fields, normalised parameters and steps, and the parsed mapping.

    ``steps`` have every step option filled in (``on_failure``, ``timeout``, ``retry_count``,
    ``retry_delay``) and, in lenient mode, the ignored keys removed from ``parameters``.
    ``data`` is the mapping exactly as parsed.
    """

    name: str
    version: str
    description: str
    domain: str | None
    group: str | None
    parameters: list[dict]
    steps: list[dict]
    metadata: dict
    warnings: list[ValidationIssue]
    data: dict


def load_playbook(
    text: str,
    *,
    source: str = "<playbook>",
    lenient: bool = False,
    credential_names: Collection[str] | None = None,
    child_exists: Callable[[str], bool] | None = None,
) -> LoadedPlaybook:
    """Parse and validate ``text``; raise ``PlaybookValidationError`` listing every error.

    ``lenient`` turns the keys the originals silently ignored into warnings (dropped from the
    result). ``credential_names`` and ``child_exists`` enable the credential and child-playbook
    checks; None skips them.
    """
    try:
        data, marks, problems = parse_yaml(text)
    except YamlError as problem:
        raise PlaybookValidationError([_yaml_issue(problem, source)]) from None
    if problems:
        raise PlaybookValidationError([_yaml_issue(p, source) for p in problems])
    c = Collector(source, marks, lenient=lenient)
    names = set(credential_names) if credential_names is not None else None
    playbook = _check(data, c, names, child_exists)
    if c.errors:
        raise PlaybookValidationError(c.errors, c.warnings)
    return LoadedPlaybook(**playbook, warnings=c.warnings, data=data)


def _yaml_issue(problem: YamlError, source: str) -> ValidationIssue:
    return ValidationIssue(
        problem.message, source, problem.line, problem.column, None, None, problem.hint, "error"
    )


def _check(
    data: Any,
    c: Collector,
    credential_names: set[str] | None,
    child_exists: Callable[[str], bool] | None,
) -> dict[str, Any]:
    if not isinstance(data, dict):
        c.error(
            f"A playbook is a mapping with 'name', 'version' and 'steps', found {describe(data)}",
            (),
        )
        return {}
    playbook = check_top_level(data, c)
    playbook["parameters"] = check_parameters(data, c, credential_names)
    playbook["steps"] = _check_steps(
        data, c, playbook["parameters"], credential_names, child_exists
    )
    return playbook


def _check_steps(
    data: dict,
    c: Collector,
    parameters: list[dict],
    credential_names: set[str] | None,
    child_exists: Any,
) -> list[dict]:
    items = data.get("steps")
    if not isinstance(items, list) or not items:
        found = "nothing" if items is None else describe(items)
        c.error(
            f"'steps' must be a non-empty list, found {found}",
            ("steps",),
            hint="Add at least one step: '- id: ...' with 'name:' and 'type:'",
        )
        return []
    ids = _check_unique_ids(items, c)
    definitions = {p["name"]: p for p in parameters}
    scope = ReferenceScope({p["name"]: p["type"] for p in parameters}, set(ids), credential_names)
    scope.set_later = variable_setters(items)
    steps = []
    for index, item in enumerate(items):
        path = ("steps", index)
        step_id, step_type = check_step_header(item, path, c)
        if step_type is None:
            continue
        ctx = StepContext(step_id, path, step_type, credential_names, child_exists, c, definitions)
        step_parameters = check_step_parameters(item, ctx)
        check_references(step_parameters, step_type, (step_id, path), scope, c)
        scope.record_step(step_id, step_type, step_parameters)
        if step_id is not None:
            steps.append(normalise_step(item, step_id, step_parameters))
    return steps


def _check_unique_ids(items: list, c: Collector) -> dict[str, int]:
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        step_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(step_id, str):
            continue
        if step_id in first:
            line = _line(c.marks, ("steps", first[step_id], "id"))
            c.error(
                f"Duplicate step id '{step_id}' (first used on line {line})",
                ("steps", index, "id"),
                step=(step_id, ("steps", index)),
                hint="Step ids must be unique",
            )
        else:
            first[step_id] = index
    return first


def _line(marks: Marks, path: tuple) -> int | None:
    return marks.position(path)[0]
