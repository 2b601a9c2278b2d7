"""A schedule's parameter values, checked with the rules a launch uses (services' helper).

The values go through ``parameters_coerce`` exactly as ``execution_start`` will do it at every
launch, with the gateway filling ``gateway_url`` and credential parameters left empty; a library
file named by a ``file`` parameter must be one of the team's. Only the values given are stored
(typed), so playbook defaults and gateway defaults stay live. Values of secret parameters are
returned apart, to be stored encrypted; the placeholder ``$encrypted$`` keeps the value stored
before.
"""

from typing import Any

from apps.accounts.models import User
from apps.credentials.selectors import credential_names_for_team, credential_names_for_user
from apps.executions.parameters import (
    ParameterError,
    parameters_autofill,
    parameters_coerce,
    parameters_credential_problems,
)
from apps.executions.secret_parameters import secrets_keep, secrets_split
from apps.files.references import library_files_check
from apps.gateways.models import Gateway
from apps.playbooks.models import Playbook

FIELD = "parameters"


def parameters_clean(
    playbook: Playbook,
    values: Any,
    *,
    gateway: Gateway | None,
    actor: User,
    owner: User,
    problems: dict,
    stored: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(clear, secret)`` values to store, or ``({}, {})`` with every problem added under
    ``parameters``; ``stored`` holds the secret values kept so far.

    Credentials must be usable both by ``actor``, who saves the schedule, and by ``owner``, as
    whom it runs.
    """
    if not isinstance(values, dict):
        problems.setdefault(FIELD, []).append(
            'Parameters must be a JSON object of names to values, e.g. {"retries": 2}.'
        )
        return {}, {}
    definitions = playbook.current_version.parameters
    found: list[str] = []
    try:
        given = secrets_keep(definitions, values, stored)
        typed = parameters_coerce(
            definitions,
            parameters_autofill(definitions, dict(given), gateway),
            credential_names=credential_names_for_team(playbook.team),
        )
    except ParameterError as exc:
        found.extend(exc.problems)
        typed = {}
    found.extend(
        _credential_problems(definitions, typed, playbook=playbook, actor=actor, owner=owner)
    )
    found.extend(library_files_check(definitions, typed, playbook.team))
    if found:
        problems.setdefault(FIELD, []).extend(found)
        return {}, {}
    return secrets_split(definitions, {name: typed[name] for name in values if name in typed})


def _credential_problems(
    definitions: list[dict], typed: dict, *, playbook: Playbook, actor: User, owner: User
) -> list[str]:
    """Credentials of the team that the saver or the schedule's owner may not use."""
    team = playbook.team
    found = parameters_credential_problems(
        definitions, typed, usable=credential_names_for_user(actor, team), team=team
    )
    if found or owner.pk == actor.pk:
        return found
    remedy = f"the schedule runs as {owner.get_username()}, who may not use it"
    return parameters_credential_problems(
        definitions, typed, usable=credential_names_for_user(owner, team), team=team, remedy=remedy
    )
