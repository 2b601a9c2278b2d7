"""Render the generated documentation: ``docs/playbooks.md`` and ``docs/steps.md``.

``docs/playbooks.md`` is the hand-written format guide ``playbooks_doc_template.md`` with the
marker ``<!-- step-index -->`` replaced by a table of every step type linking into
``docs/steps.md``. ``docs/steps.md`` is ``steps_doc_template.md`` with ``<!-- step-contents -->``
replaced by a table of contents by family and ``<!-- step-reference -->`` by one section per
step type (parameters, outputs and an example step in YAML). Both are generated from the
registry, so the documentation cannot drift from the catalogue.
"""

from __future__ import annotations

import json
import re
from itertools import groupby
from pathlib import Path
from typing import Any

import yaml

from apps.steps.registry import builtin_step_types
from apps.steps.schema import Param, ParamType, StepType

PLAYBOOKS_DOC = "playbooks.md"
STEPS_DOC = "steps.md"
PLAYBOOKS_TEMPLATE = Path(__file__).with_name("playbooks_doc_template.md")
STEPS_TEMPLATE = Path(__file__).with_name("steps_doc_template.md")
INDEX_MARKER = "<!-- step-index -->"
CONTENTS_MARKER = "<!-- step-contents -->"
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


def render_docs(step_types: list[StepType] | None = None) -> dict[str, str]:
    """Return every generated document by its file name in ``docs/`` (built-in types by default)."""
    step_types = builtin_step_types() if step_types is None else step_types
    return {
        PLAYBOOKS_DOC: render_playbooks_doc(step_types),
        STEPS_DOC: render_steps_doc(step_types),
    }


def render_playbooks_doc(step_types: list[StepType] | None = None) -> str:
    """Return the complete ``docs/playbooks.md`` text: the format guide and the step index."""
    step_types = builtin_step_types() if step_types is None else step_types
    text = PLAYBOOKS_TEMPLATE.read_text(encoding="utf-8")
    return text.replace(INDEX_MARKER, render_index(step_types, page=STEPS_DOC))


def render_steps_doc(step_types: list[StepType] | None = None) -> str:
    """Return the complete ``docs/steps.md`` text: contents and one section per step type."""
    step_types = builtin_step_types() if step_types is None else step_types
    text = STEPS_TEMPLATE.read_text(encoding="utf-8")
    text = text.replace(CONTENTS_MARKER, render_contents(step_types))
    return text.replace(REFERENCE_MARKER, render_reference(step_types))


def _by_family(step_types: list[StepType]) -> list[tuple[str, list[StepType]]]:
    order = list(FAMILY_TITLES)
    ordered = sorted(step_types, key=lambda t: (_rank(order, t.family), t.family, t.id))
    return [(family, list(group)) for family, group in groupby(ordered, key=lambda t: t.family)]


def _rank(order: list[str], family: str) -> int:
    return order.index(family) if family in order else len(order)


def _title(family: str) -> str:
    return FAMILY_TITLES.get(family, f"{family} steps (plugin)")


def anchor(heading: str) -> str:
    """Return the anchor GitHub gives a heading (``gateway.login`` becomes ``gatewaylogin``)."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def render_index(step_types: list[StepType], page: str = "") -> str:
    """Return a table of every step type with its one-line title, linking to ``page``."""
    lines = ["| Step type | What it does |", "| --- | --- |"]
    for _family, members in _by_family(step_types):
        lines += [f"| [`{t.id}`]({page}#{anchor(t.id)}) | {_cell(t.title)} |" for t in members]
    return "\n".join(lines)


def render_contents(step_types: list[StepType]) -> str:
    """Return a nested list: each family, then each of its step types with its title."""
    lines = []
    for family, members in _by_family(step_types):
        lines.append(f"* [{_title(family)}](#{anchor(_title(family))})")
        lines += [f"  * [`{t.id}`](#{anchor(t.id)}): {t.title}" for t in members]
    return "\n".join(lines)


def render_reference(step_types: list[StepType]) -> str:
    """Return one section per family with a subsection per step type."""
    sections = []
    for family, members in _by_family(step_types):
        sections.append(f"## {_title(family)}")
        sections += [render_step(step_type) for step_type in members]
    return "\n\n".join(sections)


def render_step(step_type: StepType) -> str:
    """Return the documentation of one step type."""
    parts = [f"### `{step_type.id}`", f"**{step_type.title}.** {step_type.description}"]
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
        parts.append("Example:\n\n```yaml\n" + render_example(step_type) + "```")
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
    if param.web_url:
        notes.append("http(s) or about:blank only.")
    if param.type is ParamType.FILE:
        notes.append("A file of the run's folder or of `WORKER_INPUT_DIRS`.")
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


class _ExampleDumper(yaml.SafeDumper):
    """Block YAML in the guide's style: indented lists, double quotes, multi-line text as ``|``."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ExampleDumper.add_representer(str, _represent_text)


def render_example(step_type: StepType) -> str:
    """Return the step type's example as a playbook step in YAML (id, name, type, parameters)."""
    step: dict[str, Any] = {
        "id": step_type.id.split(".", 1)[1],
        "name": step_type.title,
        "type": step_type.id,
    }
    if step_type.example:
        step["parameters"] = step_type.example
    return yaml.dump(
        [step],
        Dumper=_ExampleDumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=1000,
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
