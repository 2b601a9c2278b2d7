"""Presets: named parameter sets per playbook, private or shared with the team.

Values of secret parameters are kept encrypted (``Preset.secret_values``); ``values`` holds
``$encrypted$`` in their place, and sending that placeholder back keeps the stored value.
"""

from django.db import transaction

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.accounts.selectors import user_has_role, user_is_admin
from apps.accounts.services import audit_record
from apps.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from apps.credentials.access import user_is_team_member
from apps.credentials.selectors import credential_list_for_user
from apps.executions.secret_parameters import secrets_dumps, secrets_keep, secrets_split
from apps.files.reference import is_reference
from apps.playbooks.models import Playbook, Preset

TYPE_CHECKS = {
    "string": lambda v: isinstance(v, str),
    "file": lambda v: isinstance(v, str) or is_reference(v),
    "credential": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "list": lambda v: isinstance(v, list),
    "dict": lambda v: isinstance(v, dict),
}


@transaction.atomic
def preset_create(
    *, playbook: Playbook, actor: User, name: str, values: dict, shared: bool = False
) -> Preset:
    """Save a named parameter set for ``playbook``; operators and editors may."""
    _require_runner(actor, playbook)
    preset = Preset(playbook=playbook, owner=actor, shared=shared)
    _apply(preset, actor=actor, name=name, values=values)
    preset.save()
    audit_record(actor, "preset.create", target=preset, details={"playbook": playbook.path})
    return preset


@transaction.atomic
def preset_update(preset: Preset, *, actor: User, **changes) -> Preset:
    """Rename a preset, replace its values or change its sharing."""
    _require_can_change(preset, actor)
    unknown = set(changes) - {"name", "values", "shared"}
    if unknown:
        raise ApplicationError(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    _apply(
        preset,
        actor=actor,
        name=changes.get("name", preset.name),
        values=changes.get("values", preset.values),
    )
    preset.shared = changes.get("shared", preset.shared)
    preset.save()
    audit_record(actor, "preset.update", target=preset, details={"fields": sorted(changes)})
    return preset


@transaction.atomic
def preset_delete(preset: Preset, *, actor: User) -> None:
    """Delete a preset (its owner, an admin, or an editor for a shared one)."""
    _require_can_change(preset, actor)
    audit_record(actor, "preset.delete", target=preset)
    preset.delete()


def _apply(preset: Preset, *, actor: User, name: str, values: dict) -> None:
    name = name.strip()
    if not name:
        raise ApplicationError("A preset needs a name.")
    clash = Preset.objects.filter(playbook=preset.playbook, owner=preset.owner, name=name)
    if clash.exclude(pk=preset.pk).exists():
        raise ConflictError(f"You already have a preset named {name!r} for {preset.playbook}.")
    definitions = preset.playbook.current_version.parameters
    if isinstance(values, dict):
        values = secrets_keep(definitions, values, preset.secret_values_dict())
    preset_check_values(preset.playbook, values, actor=actor)
    clear, secret = secrets_split(definitions, values)
    preset.name = name
    preset.values, preset.secret_values = clear, secrets_dumps(secret)


def preset_check_values(playbook: Playbook, values: dict, *, actor: User) -> None:
    """Check values against the playbook's parameters; credentials must be usable names."""
    if not isinstance(values, dict):
        raise ApplicationError("Preset values must be an object of parameter names to values.")
    parameters = {p["name"]: p for p in playbook.current_version.parameters}
    for name, value in values.items():
        _check_value(playbook, parameters, name, value, actor=actor)


def _check_value(playbook: Playbook, parameters: dict, name: str, value, *, actor: User) -> None:
    definition = parameters.get(name)
    if definition is None:
        known = ", ".join(sorted(parameters)) or "none"
        raise ApplicationError(f"{playbook} has no parameter {name!r} (its parameters: {known}).")
    kind = definition.get("type", "string")
    if not TYPE_CHECKS.get(kind, lambda v: True)(value):
        raise ApplicationError(f"Parameter {name!r} needs a {kind} value.")
    if kind == "credential":
        usable = credential_list_for_user(actor).filter(team=playbook.team, name=value)
        if not usable.exists():
            raise ApplicationError(
                f"Parameter {name!r}: no credential named {value!r} that you may use in "
                f"{playbook.team}."
            )


def _require_runner(actor: User, playbook: Playbook) -> None:
    if user_is_admin(actor):
        return
    runner = user_has_role(actor, Role.EDITOR) or user_has_role(actor, Role.OPERATOR)
    if not (runner and user_is_team_member(actor, playbook.team)):
        raise PermissionDeniedError(f"Only operators and editors of {playbook.team} save presets.")


def _require_can_change(preset: Preset, actor: User) -> None:
    _require_runner(actor, preset.playbook)
    if user_is_admin(actor) or preset.owner_id == actor.pk:
        return
    if not (preset.shared and user_has_role(actor, Role.EDITOR)):
        raise PermissionDeniedError(f"Preset {preset.name!r} belongs to someone else.")
