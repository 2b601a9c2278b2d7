"""Values of secret parameters: kept apart from the clear values, encrypted, never shown back.

Runs, schedules and presets store their parameter values as JSON in clear, with the
placeholder ``$encrypted$`` where a secret parameter has a value; the values themselves go to an
encrypted text field as JSON. Sending the placeholder back means "keep the stored value".
"""

import json
from typing import Any

from apps.credentials.models import SECRET_PLACEHOLDER
from apps.executions.parameters import ParameterError
from apps.playbooks.loader.secrets import definition_is_secret


def secret_names(definitions: list[dict]) -> set[str]:
    """Names of the secret parameters among ``definitions``."""
    return {d["name"] for d in definitions if definition_is_secret(d)}


def secrets_split(definitions: list[dict], values: dict[str, Any]) -> tuple[dict, dict]:
    """``(clear, secret)``: each non-empty secret value moved out, the placeholder in its place."""
    names = secret_names(definitions)
    secret = {k: v for k, v in values.items() if k in names and v not in (None, "")}
    clear = {k: SECRET_PLACEHOLDER if k in secret else v for k, v in values.items()}
    return clear, secret


def secrets_keep(
    definitions: list[dict], values: dict[str, Any], stored: dict[str, Any]
) -> dict[str, Any]:
    """``values`` with each placeholder of a secret parameter replaced by its stored value."""
    names = secret_names(definitions)
    kept, problems = dict(values), []
    for name, value in values.items():
        if value != SECRET_PLACEHOLDER or name not in names:
            continue
        if stored.get(name) in (None, ""):
            problems.append(
                f"'{name}': {SECRET_PLACEHOLDER} stands for a stored secret and none is "
                "stored here; type the value"
            )
        else:
            kept[name] = stored[name]
    if problems:
        raise ParameterError(problems)
    return kept


def secrets_dumps(secret: dict[str, Any]) -> str:
    """The text for an encrypted field ('' when there is no secret)."""
    return json.dumps(secret, sort_keys=True) if secret else ""
