"""A schedule's parameter values, checked with the rules a launch uses (services' helper).

The values go through ``parameters_coerce`` exactly as ``execution_start`` will do it at every
launch, with the gateway filling ``gateway_url`` and credential parameters left empty. Only the
values given are stored (typed), so playbook defaults and gateway defaults stay live.
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
from apps.gateways.models import Gateway
from apps.playbooks.models import Playbook
from apps.playbooks.services.presets import SECRET_NAMES

FIELD = "parameters"


def parameters_clean(
    playbook: Playbook,
    values: Any,
    *,
    gateway: Gateway | None,
    actor: User,
    owner: User,
    problems: dict,
) -> dict[str, Any]:
    """The typed values to store, or ``{}`` with every problem added under ``parameters``.

    Credentials must be usable both by ``actor``, who saves the schedule, and by ``owner``, as
    whom it runs.
    """
    if not isinstance(values, dict):
        problems.setdefault(FIELD, []).append(
            'Parameters must be a JSON object of names to values, e.g. {"retries": 2}.'
        )
        return {}
    definitions = playbook.current_version.parameters
    found = _secret_problems(definitions, values)
    try:
        typed = parameters_coerce(
            definitions,
            parameters_autofill(definitions, dict(values), gateway),
            credential_names=credential_names_for_team(playbook.team),
        )
    except ParameterError as exc:
        found.extend(exc.problems)
        typed = {}
    found.extend(
        _credential_problems(definitions, typed, playbook=playbook, actor=actor, owner=owner)
    )
    if found:
        problems.setdefault(FIELD, []).extend(found)
        return {}
    return {name: typed[name] for name in values if name in typed}


def _secret_problems(definitions: list[dict], values: dict) -> list[str]:
    kinds = {definition["name"]: definition.get("type", "string") for definition in definitions}
    return [
        f"'{name}' looks like a secret: schedules never store secrets; keep it in the "
        "credential vault and pass it through a credential parameter."
        for name in values
        if name.lower() in SECRET_NAMES and kinds.get(name, "credential") != "credential"
    ]


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
