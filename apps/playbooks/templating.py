"""The playbook template engine: ``{{ reference }}`` in step parameters.

References: ``{{ parameter.x }}`` or bare ``{{ x }}``, ``{{ credential.NAME }}`` and
``{{ credential.NAME.field }}``, ``{{ variable.x }}``, ``{{ step.ID }}`` and
``{{ step.ID.key.sub }}``; after the name, each segment is a mapping key, a list index or a
public attribute. There are no filters or expressions.

Types are preserved: a string that is exactly one reference renders to the referenced value
itself (list, dict, number, bool, None or a credential object); a reference inside longer text
is converted to text (numbers as written, booleans as ``true``/``false``, lists and dicts as
JSON). Rendering is a single pass: text produced by a reference is never rendered again.
Credentials come from the ``credentials`` callable of the context, so this module never reads
the database.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

TEMPLATE_PATTERN = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
SEGMENT = r"[A-Za-z0-9_][A-Za-z0-9_-]*"
EXPRESSION_PATTERN = re.compile(rf"^{SEGMENT}(?:\.{SEGMENT})*$")
KINDS = ("parameter", "credential", "variable", "step")
CREDENTIAL_FIELDS = ("username", "password", "gateway_url", "description")


class TemplateError(ValueError):
    """A reference is malformed or cannot be resolved; the message names the reference."""

    def __init__(self, message: str, *, reference: str | None = None) -> None:
        super().__init__(message)
        self.reference = reference


@dataclass(frozen=True)
class Reference:
    """One ``{{ ... }}`` reference: its kind, the name it starts from and the path after it."""

    kind: str
    name: str
    path: tuple[str, ...]
    text: str
    bare: bool = False

    @property
    def expression(self) -> str:
        """The reference without braces, in its long form (``parameter.x`` for a bare ``x``)."""
        return ".".join((self.kind, self.name, *self.path))


def parse_reference(text: str) -> Reference:
    """Parse one ``{{ ... }}`` text; raise ``TemplateError`` when it is not a valid reference."""
    inner = text[2:-2].strip()
    if not inner:
        raise TemplateError(f"Empty reference '{text}': write e.g. '{{{{ parameter.name }}}}'")
    if not EXPRESSION_PATTERN.match(inner):
        raise TemplateError(
            f"Invalid reference '{text}': references are dotted names such as "
            "'{{ step.login.status }}'; filters, expressions and spaces are not supported",
            reference=text,
        )
    head, *rest = inner.split(".")
    if head not in KINDS:
        return Reference("parameter", head, tuple(rest), text, bare=True)
    if not rest:
        raise TemplateError(
            f"Reference '{text}' needs a name: write '{{{{ {head}.<name> }}}}'", reference=text
        )
    return Reference(head, rest[0], tuple(rest[1:]), text)


def split(value: str) -> list[str | Reference]:
    """Split ``value`` into literal text and references, in order (empty text is dropped)."""
    parts: list[str | Reference] = []
    position = 0
    for match in TEMPLATE_PATTERN.finditer(value):
        if match.start() > position:
            parts.append(value[position : match.start()])
        parts.append(parse_reference(match.group(0)))
        position = match.end()
    if position < len(value):
        parts.append(value[position:])
    return parts


def has_template(value: str) -> bool:
    """Whether ``value`` contains ``{{ ... }}`` (valid or not)."""
    return TEMPLATE_PATTERN.search(value) is not None


def single_reference(value: Any) -> Reference | None:
    """Return the reference when ``value`` is a string made of exactly one reference."""
    if not isinstance(value, str):
        return None
    match = TEMPLATE_PATTERN.fullmatch(value)
    return parse_reference(match.group(0)) if match else None


def references(value: Any) -> list[Reference]:
    """Return every reference in ``value``, recursing into lists and dict values."""
    if isinstance(value, str):
        return [part for part in split(value) if isinstance(part, Reference)]
    if isinstance(value, Mapping):
        return [ref for item in value.values() for ref in references(item)]
    if isinstance(value, list | tuple):
        return [ref for item in value for ref in references(item)]
    return []


@dataclass
class TemplateContext:
    """What references resolve against while a run executes."""

    parameters: Mapping[str, Any] = field(default_factory=dict)
    variables: Mapping[str, Any] = field(default_factory=dict)
    steps: Mapping[str, Any] = field(default_factory=dict)
    credentials: Callable[[str], Any] | None = None


def render(value: Any, context: TemplateContext) -> Any:
    """Resolve every reference in ``value`` (recursively), preserving types (module docstring)."""
    if isinstance(value, str):
        return _render_string(value, context)
    if isinstance(value, Mapping):
        return {key: render(item, context) for key, item in value.items()}
    if isinstance(value, list):
        return [render(item, context) for item in value]
    if isinstance(value, tuple):
        return tuple(render(item, context) for item in value)
    return value


def render_parameters(
    parameters: Mapping[str, Any], context: TemplateContext, *, literal: Collection[str] = ()
) -> dict[str, Any]:
    """``render`` each parameter except those named in ``literal``, which hold code (a Python
    script) whose braces are never references."""
    return {
        key: value if key in literal else render(value, context)
        for key, value in parameters.items()
    }


def _render_string(value: str, context: TemplateContext) -> Any:
    if "{{" not in value:
        return value
    parts = split(value)
    if len(parts) == 1 and isinstance(parts[0], Reference):
        return resolve(parts[0], context)
    return "".join(
        part if isinstance(part, str) else _to_text(resolve(part, context), part) for part in parts
    )


def resolve(reference: Reference, context: TemplateContext) -> Any:
    """Return the value ``reference`` points at, or raise ``TemplateError`` naming it."""
    resolver = _RESOLVERS[reference.kind]
    return _lookup(resolver(reference, context), reference)


def _resolve_parameter(reference: Reference, context: TemplateContext) -> Any:
    if reference.name not in context.parameters:
        raise TemplateError(
            f"Parameter '{reference.name}' not found in playbook parameters "
            f"(in '{reference.text}')",
            reference=reference.text,
        )
    return context.parameters[reference.name]


def _resolve_variable(reference: Reference, context: TemplateContext) -> Any:
    if reference.name not in context.variables:
        raise TemplateError(
            f"Variable '{reference.name}' is not set (in '{reference.text}'); set it first "
            "with utility.set_variable",
            reference=reference.text,
        )
    return context.variables[reference.name]


def _resolve_step(reference: Reference, context: TemplateContext) -> Any:
    if reference.name not in context.steps:
        raise TemplateError(
            f"Step '{reference.name}' has no output (in '{reference.text}'): only earlier, "
            "completed steps can be referenced",
            reference=reference.text,
        )
    return context.steps[reference.name]


def _resolve_credential(reference: Reference, context: TemplateContext) -> Any:
    if context.credentials is None:
        raise TemplateError(
            f"No credential vault is available to resolve '{reference.text}'",
            reference=reference.text,
        )
    try:
        credential = context.credentials(reference.name)
    except LookupError:
        raise TemplateError(
            f"Credential '{reference.name}' not found in the vault (in '{reference.text}')",
            reference=reference.text,
        ) from None
    if reference.path and _segment(credential, reference.path[0]) is None:
        raise TemplateError(
            f"Credential '{reference.name}' has no {reference.path[0]} (in '{reference.text}')",
            reference=reference.text,
        )
    return credential


_RESOLVERS = {
    "parameter": _resolve_parameter,
    "variable": _resolve_variable,
    "step": _resolve_step,
    "credential": _resolve_credential,
}
_MISSING = object()


def _segment(value: Any, key: str) -> Any:
    if isinstance(value, Mapping):
        return value.get(key, _MISSING)
    if isinstance(value, list | tuple):
        if key.isdigit() and int(key) < len(value):
            return value[int(key)]
        return _MISSING
    if key.startswith("_") or isinstance(value, str | int | float | bool | type(None)):
        return _MISSING
    return getattr(value, key, _MISSING)


def _lookup(value: Any, reference: Reference) -> Any:
    walked = [reference.kind, reference.name] if not reference.bare else [reference.name]
    for key in reference.path:
        found = _segment(value, key)
        if found is _MISSING:
            raise TemplateError(
                f"'{'.'.join(walked)}' has no key '{key}' (in '{reference.text}'); "
                f"{_available(value)}",
                reference=reference.text,
            )
        walked.append(key)
        value = found
    return value


def _available(value: Any) -> str:
    if isinstance(value, Mapping):
        keys = ", ".join(sorted(str(k) for k in value)) or "none"
        return f"available keys: {keys}"
    if isinstance(value, list | tuple):
        return f"it is a list of {len(value)} item(s)"
    return f"it is a {type(value).__name__}"


def _to_text(value: Any, reference: Reference) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple | Mapping):
        return json.dumps(value, default=str, ensure_ascii=False)
    if value is None:
        raise TemplateError(
            f"'{reference.text}' is empty (None) and cannot be placed inside text",
            reference=reference.text,
        )
    hint = ""
    if reference.kind == "credential" or _is_credential_like(value):
        hint = "; write e.g. '.username' or '.password' after it to insert one field"
    raise TemplateError(
        f"'{reference.text}' is a {type(value).__name__} object and cannot be placed inside "
        f"text{hint}",
        reference=reference.text,
    )


def _is_credential_like(value: Any) -> bool:
    return all(hasattr(value, name) for name in ("username", "password"))
