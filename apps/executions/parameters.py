"""Turn launch parameter values into the types the playbook declares.

Values typed in a form arrive as text: ``"5"`` for an integer parameter becomes ``5``,
``"true"`` for a boolean becomes ``True``, JSON text for a list or dict is parsed, by the rules
every entry point shares (``apps.steps.values``). Credential
parameters hold credential *names*; their secrets are only read by the engine at run time.
A file parameter is text (a path on the worker) or a files-library reference such as
``{"file": 12}`` (see ``apps.files.reference``), pinned to a version at launch.
"""

import json
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from django.conf import settings

from apps.core.errors import ApplicationError
from apps.files.reference import reference_parse
from apps.steps.values import value_convert

if TYPE_CHECKING:
    from apps.accounts.models import Team
    from apps.gateways.models import Gateway

EMPTY_TEXT_KINDS = ("string", "file")  # kinds whose declared default "" is a value


class ParameterError(ApplicationError):
    """One or more launch parameters are missing or of the wrong type; ``problems`` lists all."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Invalid parameters: " + "; ".join(problems), extra={"problems": problems})
        self.problems = problems


def parameters_coerce(
    definitions: list[dict], values: dict[str, Any], *, credential_names: Collection[str]
) -> dict[str, Any]:
    """Return typed values for every declared parameter, or raise.

    A parameter given no value, or an empty one, takes its declared default; an optional text
    parameter whose default is empty (``default: ""``) is passed as empty text, so templates can
    use it. Other parameters without a value are left out (and must not be required). A given
    value longer than ``PARAMETER_VALUE_MAX_CHARS`` (as text; lists and dicts as JSON) is refused
    before it is read.
    """
    problems = [f"unknown parameter '{name}'" for name in values if name not in _names(definitions)]
    typed: dict[str, Any] = {}
    for definition in definitions:
        value = values.get(definition["name"])
        problem = _coerce_into(typed, definition, value, credential_names=credential_names)
        if problem:
            problems.append(problem)
    if problems:
        raise ParameterError(problems)
    return typed


def _coerce_into(
    typed: dict[str, Any], definition: dict, value: Any, *, credential_names: Collection[str]
) -> str | None:
    """Put the typed value of one parameter into ``typed``; return its problem, if any."""
    name, kind = definition["name"], definition.get("type", "string")
    limit = settings.PARAMETER_VALUE_MAX_CHARS
    if (length := _length(value)) > limit:
        return (
            f"'{name}' is {length} characters long; at most {limit} are accepted "
            "(PARAMETER_VALUE_MAX_CHARS): pass large data as a file parameter instead"
        )
    if value is None or value == "":
        value = definition.get("default")
    if value is None or value == "":
        if definition.get("required", False):
            return f"'{name}' is required"
        if value == "" and kind in EMPTY_TEXT_KINDS:
            typed[name] = ""  # declared with an empty default: '{{ name }}' renders nothing
        return None
    try:
        typed[name] = parameter_coerce(kind, value)
    except ValueError as exc:
        return f"'{name}' {exc}"
    if kind == "credential" and typed[name] not in credential_names:
        return f"'{name}': no credential named '{typed[name]}' in this team"
    return None


def parameters_coerce_given(
    definitions: list[dict], values: dict[str, Any], *, credential_names: Collection[str]
) -> dict[str, Any]:
    """Typed values for the parameters ``values`` names only (a preset's), each typed as a
    launch types it; none is required and no default is filled in for the others."""
    given = [{**d, "required": False} for d in definitions if d["name"] in values]
    return parameters_coerce(given, values, credential_names=credential_names)


def _length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dict | list):
        return len(json.dumps(value, ensure_ascii=False, default=str))
    return len(str(value))


def _credential_names(definitions: list[dict]) -> list[str]:
    return [d["name"] for d in definitions if d.get("type") == "credential"]


def parameters_credential_problems(
    definitions: list[dict],
    typed: dict[str, Any],
    *,
    usable: Collection[str],
    team: "Team",
    remedy: str = "choose a shared credential or one of yours",
) -> list[str]:
    """A problem for each credential parameter naming a credential of ``team`` not in
    ``usable`` (the names the acting user may use: shared, or their own)."""
    names = _credential_names(definitions)
    return [
        f"'{name}': credential '{typed[name]}' is private to another user of {team}; {remedy}."
        for name in names
        if name in typed and typed[name] not in usable
    ]


def parameters_autofill(definitions: list[dict], values: dict, gateway: "Gateway | None") -> dict:
    """Fill a gateway URL and credential parameters left empty from the target gateway."""
    if gateway is None:
        return values
    for definition in definitions:
        name = definition["name"]
        if values.get(name) not in (None, ""):
            continue
        if name == "gateway_url":
            values[name] = gateway.base_url
        elif definition.get("type") == "credential" and gateway.default_credential_id:
            values[name] = gateway.default_credential.name
    return values


def _names(definitions: list[dict]) -> set[str]:
    return {definition["name"] for definition in definitions}


def parameter_coerce(kind: str, value: Any) -> Any:
    """``value`` as a parameter of ``kind`` (``"5"`` → 5 for an integer, the rules of
    ``apps.steps.values``); ``ValueError`` says why it cannot be. A file parameter may also be
    a files-library reference."""
    if kind == "file" and isinstance(value, dict):
        return reference_parse(value)
    return value_convert(kind, value)
