"""Checks of the playbook's top level (§2.1) and of its parameter definitions (§2.2)."""

from __future__ import annotations

import re
from typing import Any

from apps.playbooks.loader.issues import Collector
from apps.playbooks.loader.literals import describe, literal_value, quote_hint
from apps.playbooks.loader.secrets import check_secret
from apps.playbooks.loader.source import Path
from apps.playbooks.templating import KINDS
from apps.steps.registry import suggest

DOMAINS = ("gateway", "perspective", "designer")
PARAMETER_TYPES = ("string", "integer", "float", "boolean", "file", "credential", "list", "dict")
TOP_LEVEL_KEYS = (
    "name",
    "version",
    "description",
    "domain",
    "group",
    "verified",
    "metadata",
    "parameters",
    "steps",
)
PARAMETER_KEYS = ("name", "type", "required", "default", "description", "secret")
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
TYPE_SYNONYMS = {
    "str": "string",
    "text": "string",
    "int": "integer",
    "number": "float",
    "bool": "boolean",
    "array": "list",
    "object": "dict",
    "path": "file",
    "password": "credential",
    "secret": "credential",
}


def did_you_mean(word: Any, known: list[str] | tuple[str, ...]) -> str | None:
    """Return "Did you mean 'x'?" for the closest of ``known``, or None."""
    close = suggest(str(word), known)
    return f"Did you mean '{close[0]}'?" if close else None


def check_unknown_keys(
    mapping: dict, known: tuple[str, ...], path: Path, c: Collector, what: str
) -> list[str]:
    """Report keys of ``mapping`` that are not in ``known``; return those lenient mode drops."""
    dropped = []
    for key in mapping:
        if key not in known:
            hint = did_you_mean(key, known) or "Allowed keys: " + ", ".join(known)
            if c.ignorable(f"Unknown {what} key '{key}'", (*path, key), hint=hint):
                dropped.append(key)
    return dropped


def check_text(data: dict, key: str, c: Collector, *, required: bool, path: Path = ()) -> str:
    """Check that ``data[key]`` is non-empty text (when required) and return it ('' if absent)."""
    value = data.get(key)
    if value is None:
        if required:
            c.error(f"Missing required key '{key}'", path, hint=f"Add '{key}: ...'")
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        c.error(f"'{key}' must be non-empty text, found {describe(value)}", (*path, key))
        return ""
    return value


def check_version(data: dict, c: Collector) -> str:
    """Check ``version``: quoted text; lenient mode accepts an unquoted number with a warning."""
    value = data.get("version")
    if isinstance(value, int | float) and not isinstance(value, bool):
        hint = f'Quote it: version: "{value}" (a number loses digits such as 2.10)'
        if c.lenient:
            c.issue("'version' is a number", ("version",), hint=hint, severity="warning")
        else:
            c.error("'version' must be text, found a number", ("version",), hint=hint)
        return str(value)
    return check_text(data, "version", c, required=True)


def check_top_level(data: dict, c: Collector) -> dict[str, Any]:
    """Check the top-level keys and return name, version, description, domain, group, metadata."""
    check_unknown_keys(data, TOP_LEVEL_KEYS, (), c, "top-level")
    result = {
        "name": check_text(data, "name", c, required=True),
        "version": check_version(data, c),
        "description": check_text(data, "description", c, required=False),
        "group": check_text(data, "group", c, required=False) or None,
        "metadata": data.get("metadata") or {},
    }
    if not isinstance(result["metadata"], dict):
        c.error(f"'metadata' must be a mapping, found {describe(data['metadata'])}", ("metadata",))
        result["metadata"] = {}
    if "verified" in data and not isinstance(data["verified"], bool):
        c.error("'verified' must be true or false", ("verified",))
    result["domain"] = _check_domain(data, result["metadata"], c)
    return result


def _check_domain(data: dict, metadata: dict, c: Collector) -> str | None:
    domain = data.get("domain")
    path: Path = ("domain",)
    if domain is None:
        domain, path = metadata.get("domain"), ("metadata", "domain")
    elif metadata.get("domain") not in (None, domain):
        c.error(
            "'domain' and 'metadata.domain' disagree",
            ("metadata", "domain"),
            hint="Keep only the top-level 'domain'",
        )
    if domain is not None and domain not in DOMAINS:
        c.error(f"Unknown domain '{domain}'", path, hint="Use one of: " + ", ".join(DOMAINS))
        return None
    return domain


def check_parameters(
    data: dict, c: Collector, credential_names: set[str] | None
) -> list[dict[str, Any]]:
    """Check the ``parameters`` list and return the normalised definitions."""
    items = data.get("parameters")
    if items is None:
        return []
    if not isinstance(items, list):
        c.error(
            f"'parameters' must be a list, found {describe(items)}",
            ("parameters",),
            hint="Write each parameter as '- name: ...' with 'type:'",
        )
        return []
    result: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        definition = _check_definition(item, ("parameters", index), c, credential_names)
        if definition is None:
            continue
        if definition["name"] in seen:
            c.error(
                f"Parameter '{definition['name']}' is defined twice", ("parameters", index, "name")
            )
            continue
        seen.add(definition["name"])
        result.append(definition)
    return result


def _check_definition(
    item: Any, path: Path, c: Collector, credential_names: set[str] | None
) -> dict[str, Any] | None:
    if not isinstance(item, dict):
        c.error(f"A parameter must be a mapping, found {describe(item)}", path)
        return None
    dropped = check_unknown_keys(item, PARAMETER_KEYS, path, c, "parameter")
    name = _check_parameter_name(item, path, c)
    param_type = _check_parameter_type(item, path, c)
    required = item.get("required", True)
    if not isinstance(required, bool):
        c.error("'required' must be true or false", (*path, "required"))
    description = check_text(item, "description", c, required=False, path=path)
    if name is None or param_type is None:
        return None
    default = item.get("default")
    _check_default(name, default, param_type, path, c, credential_names)
    definition = {
        "name": name,
        "type": param_type,
        "required": required is not False,
        "default": default,
        "description": description,
    }
    if check_secret(item, name, param_type, path, c):
        definition["secret"] = True
        if default not in (None, ""):
            dropped.append("default")  # lenient mode only: a declared secret's is an error
    return {k: v for k, v in definition.items() if k not in dropped}


def _check_parameter_name(item: dict, path: Path, c: Collector) -> str | None:
    name = check_text(item, "name", c, required=True, path=path)
    if not name:
        return None
    if not NAME_PATTERN.match(name):
        c.error(
            f"Parameter name '{name}' is not usable in '{{{{ {name} }}}}'",
            (*path, "name"),
            hint="Use letters, digits, '_' and '-' only",
        )
        return None
    if name in KINDS:
        c.error(
            f"Parameter name '{name}' is reserved for '{{{{ {name}.<name> }}}}' references",
            (*path, "name"),
            hint="Choose another name",
        )
        return None
    return name


def _check_parameter_type(item: dict, path: Path, c: Collector) -> str | None:
    value = check_text(item, "type", c, required=True, path=path)
    if not value or value in PARAMETER_TYPES:
        return value or None
    hint = (
        f"Write '{TYPE_SYNONYMS[value]}'"
        if value in TYPE_SYNONYMS
        else did_you_mean(value, PARAMETER_TYPES) or "Use one of: " + ", ".join(PARAMETER_TYPES)
    )
    c.error(f"Unknown parameter type '{value}'", (*path, "type"), hint=hint)
    return None


def _check_default(
    name: str,
    default: Any,
    param_type: str,
    path: Path,
    c: Collector,
    credential_names: set[str] | None,
) -> None:
    """A default is typed as a launch types a value: ``default: '5'`` is a whole number."""
    if default is None:
        return
    try:
        literal_value(param_type, default)
    except ValueError as exc:
        c.error(f"The default of '{name}' {exc}", (*path, "default"), hint=quote_hint(param_type))
        return
    if param_type == "credential" and credential_names is not None:
        check_credential_name(default, (*path, "default"), c, credential_names)


def check_credential_name(
    name: str, path: Path, c: Collector, credential_names: set[str], **kwargs: Any
) -> None:
    """Report ``name`` when it is not one of ``credential_names``."""
    if name not in credential_names:
        c.error(
            f"Credential '{name}' does not exist",
            path,
            hint=did_you_mean(name, sorted(credential_names))
            or "Create it under Credentials, or use the name of an existing one",
            **kwargs,
        )
