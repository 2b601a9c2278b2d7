"""Declarative parameter schema of a step type: what a playbook may write under ``parameters``.

A ``StepType`` is the one declaration of a step type. It drives the registry, the loader
(validation at import and save), the ``/step-types`` API, the editor's forms, the generated
reference in ``docs/steps.md``, the queue a run goes to and the launch checks; it names the
handler that runs the step (imported only when a step runs, see ``apps.steps.registry``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

STEP_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
PARAM_NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class ParamType(StrEnum):
    """Value types a step parameter accepts (a superset of the playbook parameter types)."""

    STRING = "string"
    INTEGER = "integer"
    FLOAT = "float"
    BOOLEAN = "boolean"
    LIST = "list"
    DICT = "dict"
    CREDENTIAL = "credential"
    FILE = "file"
    SELECTOR = "selector"
    ANY = "any"


# Types whose values are text, so a template mixing text and references is a valid value.
TEXT_TYPES = frozenset(
    {ParamType.STRING, ParamType.CREDENTIAL, ParamType.FILE, ParamType.SELECTOR, ParamType.ANY}
)

_PYTHON_TYPES: dict[ParamType, tuple[type, ...]] = {
    ParamType.STRING: (str,),
    ParamType.INTEGER: (int,),
    ParamType.FLOAT: (int, float),
    ParamType.BOOLEAN: (bool,),
    ParamType.LIST: (list,),
    ParamType.DICT: (dict,),
    ParamType.CREDENTIAL: (str,),
    ParamType.FILE: (str,),
    ParamType.SELECTOR: (str,),
}


def value_matches(param_type: ParamType, value: Any) -> bool:
    """Whether a literal (non-template) value has the Python type ``param_type`` expects."""
    if param_type is ParamType.ANY:
        return True
    if isinstance(value, bool) and param_type is not ParamType.BOOLEAN:
        return False
    return isinstance(value, _PYTHON_TYPES[param_type])


class CatalogueError(ValueError):
    """A step-type declaration is inconsistent (a programming error in a catalogue or plugin)."""


@dataclass(frozen=True)
class Param:
    """One parameter of a step type."""

    name: str
    type: ParamType
    required: bool = False
    default: Any = None
    enum: tuple[Any, ...] | None = None
    unit: str | None = None
    description: str = ""
    secret: bool = False
    items: ParamType | None = None
    minimum: float | None = None
    templated: bool = True
    relative_path: bool = False
    web_url: bool = False

    def __post_init__(self) -> None:
        if not PARAM_NAME_PATTERN.match(self.name):
            raise CatalogueError(f"Parameter name {self.name!r} is not an identifier")
        if self.unit not in (None, "ms", "s"):
            raise CatalogueError(f"Parameter {self.name!r}: unit must be 'ms', 's' or None")
        if self.required and self.default is not None:
            raise CatalogueError(f"Parameter {self.name!r} is required and has a default")
        if self.default is not None and not value_matches(self.type, self.default):
            raise CatalogueError(f"Parameter {self.name!r}: default does not match {self.type}")
        if self.enum is not None and self.default is not None and self.default not in self.enum:
            raise CatalogueError(f"Parameter {self.name!r}: default is not one of its enum")

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-safe description for the API and the editor."""
        return {
            "name": self.name,
            "type": str(self.type),
            "required": self.required,
            "default": self.default,
            "enum": list(self.enum) if self.enum is not None else None,
            "unit": self.unit,
            "description": self.description,
            "secret": self.secret,
            "items": str(self.items) if self.items else None,
            "minimum": self.minimum,
            "templated": self.templated,
        }


@dataclass(frozen=True)
class LegacyKey:
    """A parameter key the originals' playbooks used but this product does not honour.

    ``ignorable`` keys were silently ignored by the originals: they are errors by default and
    warnings in lenient mode. A key with ``replaces`` was a misspelling of a required parameter;
    it is always an error and suppresses the "missing parameter" error for the one it replaces.
    """

    name: str
    hint: str
    ignorable: bool = True
    replaces: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-safe description."""
        return {"name": self.name, "hint": self.hint, "ignorable": self.ignorable}


@dataclass(frozen=True)
class StepType:
    """The contract of one step type (``<family>.<action>``), as written in playbook YAML.

    ``outputs`` lists the keys a run returns (``{{ step.<id>.<key> }}``); ``None`` means the keys
    are dynamic and not checked. ``accepts_extra_params`` lets undeclared keys through (the
    child parameters of ``playbook.run``). ``one_of`` groups need at least one member present,
    ``exclusive`` groups at most one. ``requires`` names the worker capabilities the step needs
    (``STEP_CAPABILITY_QUEUES`` routes them). ``handler`` is the ``run(context, params) ->
    outputs`` function, or its dotted path; a type without one either ``composes`` other steps
    (run by the engine itself) or says in ``unavailable`` why it cannot run.
    """

    id: str
    family: str
    title: str
    description: str
    params: tuple[Param, ...] = ()
    outputs: tuple[str, ...] | None = ()
    requires: tuple[str, ...] = ()
    accepts_extra_params: bool = False
    one_of: tuple[tuple[str, ...], ...] = ()
    exclusive: tuple[tuple[str, ...], ...] = ()
    legacy_params: tuple[LegacyKey, ...] = ()
    unavailable: str | None = None
    example: dict[str, Any] | None = None
    handler: str | Callable[..., Any] | None = None
    composes: bool = False

    def __post_init__(self) -> None:
        if not STEP_ID_PATTERN.match(self.id):
            raise CatalogueError(f"Step type id {self.id!r} must look like 'family.action'")
        if self.id.split(".", 1)[0] != self.family:
            raise CatalogueError(f"Step type {self.id!r} declares family {self.family!r}")
        names = [p.name for p in self.params]
        if len(set(names)) != len(names):
            raise CatalogueError(f"Step type {self.id!r} declares a parameter twice")
        known = set(names)
        for group in self.one_of + self.exclusive:
            if not set(group) <= known:
                raise CatalogueError(f"Step type {self.id!r}: group {group} names unknown params")
        if known & {legacy.name for legacy in self.legacy_params}:
            raise CatalogueError(f"Step type {self.id!r}: a legacy key is also a parameter")
        if sum(map(bool, (self.handler, self.composes, self.unavailable))) != 1:
            raise CatalogueError(
                f"Step type {self.id!r} needs exactly one of a handler, 'composes' or 'unavailable'"
            )

    @property
    def param_names(self) -> tuple[str, ...]:
        """Names of the declared parameters, in declaration order."""
        return tuple(p.name for p in self.params)

    def get_param(self, name: str) -> Param | None:
        """Return the declared parameter called ``name``, or None."""
        return next((p for p in self.params if p.name == name), None)

    def get_legacy(self, name: str) -> LegacyKey | None:
        """Return the legacy-key declaration for ``name``, or None."""
        return next((k for k in self.legacy_params if k.name == name), None)

    def apply_defaults(self, parameters: dict[str, Any]) -> dict[str, Any]:
        """Return ``parameters`` with the declared default of every missing parameter added."""
        merged = {p.name: p.default for p in self.params if p.default is not None}
        merged.update({k: v for k, v in parameters.items() if v is not None or k not in merged})
        return merged

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-safe description for the ``/step-types`` API and the editor."""
        return {
            "id": self.id,
            "family": self.family,
            "title": self.title,
            "description": self.description,
            "params": [p.as_dict() for p in self.params],
            "outputs": list(self.outputs) if self.outputs is not None else None,
            "requires": list(self.requires),
            "accepts_extra_params": self.accepts_extra_params,
            "one_of": [list(g) for g in self.one_of],
            "exclusive": [list(g) for g in self.exclusive],
            "legacy_params": [k.as_dict() for k in self.legacy_params],
            "unavailable": self.unavailable,
            "example": self.example,
        }
