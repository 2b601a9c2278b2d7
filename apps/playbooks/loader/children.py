"""Checks of a ``playbook.run`` call against its child: where it resolves and what it passes.

The caller of ``load_playbook`` says where a child path resolves (``resolve_child``): the path
the call will run, the child's parameter definitions, and a note when the path was rewritten
(an imported set's own file) or a problem when it is ambiguous. The call's other keys must be
parameters the child declares, every required child parameter without a default must be given,
and literal values must have the declared type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apps.playbooks.loader.document import check_credential_name, did_you_mean
from apps.playbooks.loader.literals import literal_value, quote_hint
from apps.playbooks.templating import has_template


@dataclass(frozen=True)
class ChildRef:
    """Where a child path resolves: ``path`` (to write when it differs), its ``parameters``
    (None: not checked), a ``note`` for a rewrite and a ``problem`` that refuses the call."""

    path: str
    parameters: list[dict] | None = None
    note: str | None = None
    problem: str | None = None


def check_child_call(parameters: dict, child: ChildRef, ctx: Any) -> None:
    """Report unknown, missing and wrongly typed child parameters of one call."""
    if child.parameters is None:
        return
    where = (*ctx.path, "parameters")
    definitions = {d["name"]: d for d in child.parameters}
    for name, value in parameters.items():
        if name == "playbook":
            continue
        definition = definitions.get(name)
        if definition is None:
            ctx.error(
                f"Child playbook '{child.path}' has no parameter '{name}'",
                (*where, name),
                at_key=True,
                hint=did_you_mean(name, sorted(definitions)) or _declared(definitions),
            )
        else:
            _check_value(name, value, definition, child, (*where, name), ctx)
    for name, definition in definitions.items():
        given = parameters.get(name) is not None
        if definition.get("required", True) and definition.get("default") is None and not given:
            ctx.error(
                f"Child playbook '{child.path}' needs parameter '{name}' ({definition['type']})",
                where,
                hint=f"Add '{name}:' to the call",
            )


def _declared(definitions: dict) -> str:
    if not definitions:
        return "It declares no parameters"
    return "It declares: " + ", ".join(sorted(definitions))


def _check_value(name: str, value: Any, definition: dict, child: ChildRef, path, ctx) -> None:
    if value is None or (isinstance(value, str) and has_template(value)):
        return  # typed when the call runs
    kind = definition["type"]
    try:
        literal_value(kind, value)
    except ValueError as exc:
        ctx.error(f"Child playbook '{child.path}': '{name}' {exc}", path, hint=quote_hint(kind))
        return
    if kind == "credential" and ctx.credential_names is not None:
        check_credential_name(
            value, path, ctx.c, ctx.credential_names, step=(ctx.step_id, ctx.path)
        )
