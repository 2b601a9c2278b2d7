"""Render ``docs/playbooks.md``: the hand-written format guide plus the generated step reference.

The guide is ``playbooks_doc_template.md`` beside this module; the markers
``<!-- step-index -->`` and ``<!-- step-reference -->`` are replaced with text generated from
the registry, so the documentation cannot drift from the catalogue.
"""

from __future__ import annotations

import json
from itertools import groupby
from pathlib import Path
from typing import Any

from apps.steps.registry import builtin_step_types
from apps.steps.schema import Param, StepType

TEMPLATE = Path(__file__).with_name("playbooks_doc_template.md")
INDEX_MARKER = "<!-- step-index -->"
REFERENCE_MARKER = "<!-- step-reference -->"
FAMILY_TITLES = {
    "gateway": "Gateway steps",
    "browser": "Browser steps",
    "designer": "Designer steps",
    "playbook": "Playbook composition",
    "utility": "Utility steps",
    "perspective": "Perspective steps",
    "fat": "FAT report steps",
    "ai": "Removed AI steps",
}


def render_playbooks_doc(step_types: list[StepType] | None = None) -> str:
    """Return the complete ``docs/playbooks.md`` text (built-in step types by default)."""
    step_types = builtin_step_types() if step_types is None else step_types
    text = TEMPLATE.read_text(encoding="utf-8")
    text = text.replace(INDEX_MARKER, render_index(step_types))
    return text.replace(REFERENCE_MARKER, render_reference(step_types))


def _by_family(step_types: list[StepType]) -> list[tuple[str, list[StepType]]]:
    order = list(FAMILY_TITLES)
    ordered = sorted(step_types, key=lambda t: (_rank(order, t.family), t.family, t.id))
    return [(family, list(group)) for family, group in groupby(ordered, key=lambda t: t.family)]


def _rank(order: list[str], family: str) -> int:
    return order.index(family) if family in order else len(order)


def _title(family: str) -> str:
    return FAMILY_TITLES.get(family, f"{family} steps (plugin)")


def _anchor(step_id: str) -> str:
    return step_id.replace(".", "")


def render_index(step_types: list[StepType]) -> str:
    """Return a table of every step type with its one-line title."""
    lines = ["| Step type | What it does |", "| --- | --- |"]
    for _family, members in _by_family(step_types):
        lines += [f"| [`{t.id}`](#{_anchor(t.id)}) | {_cell(t.title)} |" for t in members]
    return "\n".join(lines)


def render_reference(step_types: list[StepType]) -> str:
    """Return one section per family with a subsection per step type."""
    sections = []
    for family, members in _by_family(step_types):
        sections.append(f"### {_title(family)}")
        sections += [render_step(step_type) for step_type in members]
    return "\n\n".join(sections)


def render_step(step_type: StepType) -> str:
    """Return the documentation of one step type."""
    parts = [f"#### `{step_type.id}`", f"**{step_type.title}.** {step_type.description}"]
    if step_type.unavailable:
        parts.append(f"**Not available:** {step_type.unavailable}.")
    if step_type.requires:
        parts.append("Needs: " + ", ".join(step_type.requires) + ".")
    parts.append(_params_table(step_type))
    parts += _constraints(step_type)
    parts.append(_outputs(step_type))
    if step_type.legacy_params:
        rows = [f"* `{k.name}`: {k.hint}." for k in step_type.legacy_params]
        parts.append("Keys of the originals that are refused here:\n\n" + "\n".join(rows))
    if step_type.example is not None:
        parts.append(_example(step_type))
    return "\n\n".join(parts)


def _params_table(step_type: StepType) -> str:
    if not step_type.params:
        return "No parameters."
    lines = [
        "| Parameter | Type | Required | Default | Description |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [_param_row(param) for param in step_type.params]
    if step_type.accepts_extra_params:
        lines.append("| *any other key* | any | no | | Passed to the child as a parameter. |")
    return "\n".join(lines)


def _param_row(param: Param) -> str:
    kind = str(param.type)
    if param.items:
        kind += f" of {param.items}"
    if param.unit:
        kind += f" ({param.unit})"
    if param.enum:
        kind += ": " + ", ".join(f"`{v}`" for v in param.enum)
    notes = []
    if param.secret:
        notes.append("Secret: masked in logs.")
    if not param.templated:
        notes.append("No templates.")
    if param.relative_path:
        notes.append("Relative path.")
    description = " ".join([param.description, *notes]).strip()
    cells = (f"`{param.name}`", kind, "yes" if param.required else "no", _default(param.default))
    return "| " + " | ".join((*cells, _cell(description))) + " |"


def _default(value: Any) -> str:
    return "" if value is None else f"`{json.dumps(value)}`".replace('`"', "`").replace('"`', "`")


def _constraints(step_type: StepType) -> list[str]:
    lines = ["Give at least one of " + _names(group) + "." for group in step_type.one_of]
    lines += ["Give at most one of " + _names(group) + "." for group in step_type.exclusive]
    return lines


def _names(group: tuple[str, ...]) -> str:
    return " or ".join(f"`{name}`" for name in group)


def _outputs(step_type: StepType) -> str:
    if step_type.outputs is None:
        return "Outputs: dynamic (see the description)."
    if not step_type.outputs:
        return "Outputs: none."
    return "Outputs: " + ", ".join(f"`{key}`" for key in step_type.outputs) + "."


def _example(step_type: StepType) -> str:
    lines = [
        "```yaml",
        f"- id: {step_type.id.split('.', 1)[1]}",
        f"  name: {step_type.title}",
        f"  type: {step_type.id}",
        "  parameters:",
    ]
    lines += [f"    {key}: {json.dumps(value)}" for key, value in step_type.example.items()]
    return "Example:\n\n" + "\n".join([*lines, "```"])


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
