"""Every write to notification destinations and rules. Editors of the team (and admins) may.

A webhook's secret is write-only: given on create, replaced when a new one is given, kept when
the placeholder ``$encrypted$`` or nothing is sent back; never returned, logged or audited.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction

from apps.accounts.models import Team, User
from apps.accounts.roles import Role
from apps.accounts.services import audit_record
from apps.core.errors import ApplicationError
from apps.credentials.access import require_team_role
from apps.credentials.models import SECRET_PLACEHOLDER
from apps.notifications.hosts import webhook_host_problem
from apps.notifications.models import Channel, Destination, Preset, Rule, Scope, Trigger

MAX_RECIPIENTS = 20
MIN_SECRET_LENGTH = 16
SCOPE_FIELDS = {Scope.PLAYBOOK: "playbook", Scope.SCHEDULE: "schedule", Scope.GATEWAY: "gateway"}
DESTINATION_FIELDS = ("name", "channel", "recipients", "url", "preset")
RULE_FIELDS = ("name", "trigger", "scope", "playbook", "schedule", "gateway", "gateway_tag")


class NotificationInvalidError(ApplicationError):
    """Some fields are not valid; ``errors`` maps each field name to its problems."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        details = " ".join(f"{field}: {' '.join(problems)}" for field, problems in errors.items())
        super().__init__(f"Not saved. {details}", extra=dict(errors))
        self.errors = dict(errors)


def require_notifier(actor: User, team: Team) -> None:
    require_team_role(actor, team, Role.EDITOR, what="manage notifications")


# Destinations --------------------------------------------------------------------------------
@transaction.atomic
def destination_create(*, team: Team, actor: User, secret: str = "", **values: Any) -> Destination:
    """A new email or webhook destination of ``team``."""
    require_notifier(actor, team)
    destination = Destination(team=team, created_by=actor)
    _apply_destination(destination, {**_destination_defaults(), **values}, secret=secret)
    destination.save()
    audit_record(actor, "notification_destination.create", target=destination)
    return destination


@transaction.atomic
def destination_update(
    destination: Destination, *, actor: User, secret: str = "", **changes: Any
) -> Destination:
    """Change some fields; unchanged ones are checked again too."""
    require_notifier(actor, destination.team)
    _refuse_unknown(changes, DESTINATION_FIELDS)
    current = {name: getattr(destination, name) for name in DESTINATION_FIELDS}
    _apply_destination(destination, {**current, **changes}, secret=secret)
    destination.save()
    fields = sorted([*changes, *(["secret"] if _new_secret(secret) else [])])
    audit_record(
        actor, "notification_destination.update", target=destination, details={"fields": fields}
    )
    return destination


@transaction.atomic
def destination_delete(destination: Destination, *, actor: User) -> None:
    """Remove a destination; its rules stop sending there, its delivery log stays counted."""
    require_notifier(actor, destination.team)
    audit_record(actor, "notification_destination.delete", target=destination)
    destination.delete()


def _destination_defaults() -> dict[str, Any]:
    return {"recipients": [], "url": "", "preset": Preset.GENERIC}


def _new_secret(secret: str) -> bool:
    return bool(secret) and secret != SECRET_PLACEHOLDER


def _apply_destination(destination: Destination, values: dict[str, Any], *, secret: str) -> None:
    errors: dict[str, list[str]] = {}
    name = str(values.get("name") or "").strip()
    _check_name(errors, Destination, destination, name)
    channel = values.get("channel")
    if channel not in Channel.values:
        errors.setdefault("channel", []).append("Choose email or webhook.")
    recipients, url = [], ""
    if channel == Channel.EMAIL:
        recipients = _recipients(errors, values.get("recipients") or [])
    elif channel == Channel.WEBHOOK:
        url = _webhook_url(errors, str(values.get("url") or "").strip())
        if _new_secret(secret) and len(secret) < MIN_SECRET_LENGTH:
            errors.setdefault("secret", []).append(
                f"Use at least {MIN_SECRET_LENGTH} characters: it signs every message."
            )
        elif not _new_secret(secret) and not destination.secret:
            errors.setdefault("secret", []).append("A webhook needs a secret to sign messages.")
    if values.get("preset") not in Preset.values:
        errors.setdefault("preset", []).append("Choose generic, slack or teams.")
    if errors:
        raise NotificationInvalidError(errors)
    destination.name, destination.channel, destination.preset = name, channel, values["preset"]
    destination.recipients, destination.url = recipients, url
    if channel == Channel.EMAIL:
        destination.secret = ""
    elif _new_secret(secret):
        destination.secret = secret


def _recipients(errors: dict, given: list[str]) -> list[str]:
    addresses = [str(address).strip() for address in given if str(address).strip()]
    if not addresses:
        errors.setdefault("recipients", []).append("Give at least one email address.")
    if len(addresses) > MAX_RECIPIENTS:
        errors.setdefault("recipients", []).append(f"At most {MAX_RECIPIENTS} addresses.")
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            errors.setdefault("recipients", []).append(f"{address!r} is not an email address.")
    return list(dict.fromkeys(addresses))


def _webhook_url(errors: dict, url: str) -> str:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors.setdefault("url", []).append("Give an http:// or https:// address.")
        return url
    if problem := webhook_host_problem(url):
        errors.setdefault("url", []).append(problem)
    return url


# Rules ---------------------------------------------------------------------------------------
@transaction.atomic
def rule_create(*, team: Team, actor: User, destinations: list[Destination], **values: Any) -> Rule:
    """A new rule of ``team``: which run ends to tell which destinations about."""
    require_notifier(actor, team)
    rule = Rule(team=team, created_by=actor)
    defaults = {"trigger": Trigger.FAILURE, "scope": Scope.ALL, "gateway_tag": "", "enabled": True}
    _apply_rule(rule, {**defaults, **values}, destinations)
    rule.save()
    rule.destinations.set(destinations)
    audit_record(actor, "notification_rule.create", target=rule)
    return rule


@transaction.atomic
def rule_update(
    rule: Rule, *, actor: User, destinations: list[Destination] | None = None, **changes: Any
) -> Rule:
    """Change some fields (and the destinations when given); the rest are checked again."""
    require_notifier(actor, rule.team)
    _refuse_unknown(changes, (*RULE_FIELDS, "enabled"))
    current = {name: getattr(rule, name) for name in (*RULE_FIELDS, "enabled")}
    chosen = list(rule.destinations.all()) if destinations is None else destinations
    _apply_rule(rule, {**current, **changes}, chosen)
    rule.save()
    rule.destinations.set(chosen)
    fields = sorted([*changes, *(["destinations"] if destinations is not None else [])])
    audit_record(actor, "notification_rule.update", target=rule, details={"fields": fields})
    return rule


@transaction.atomic
def rule_delete(rule: Rule, *, actor: User) -> None:
    require_notifier(actor, rule.team)
    audit_record(actor, "notification_rule.delete", target=rule)
    rule.delete()


def _apply_rule(rule: Rule, values: dict[str, Any], destinations: list[Destination]) -> None:
    errors: dict[str, list[str]] = {}
    name = str(values.get("name") or "").strip()
    _check_name(errors, Rule, rule, name)
    if values.get("trigger") not in Trigger.values:
        errors.setdefault("trigger", []).append("Choose failure, success or any.")
    scope = values.get("scope")
    if scope not in Scope.values:
        errors.setdefault("scope", []).append("Choose all, playbook, schedule, gateway or tag.")
    for kind, field in SCOPE_FIELDS.items():
        target = values.get(field) if scope == kind else None
        if scope == kind and target is None:
            errors.setdefault(field, []).append(f"Choose the {field} this rule is about.")
        elif target is not None and target.team_id != rule.team_id:
            errors.setdefault(field, []).append(f"This {field} belongs to another team.")
        setattr(rule, field, target)
    tag = str(values.get("gateway_tag") or "").strip() if scope == Scope.TAG else ""
    if scope == Scope.TAG and not tag:
        errors.setdefault("gateway_tag", []).append("Give the gateway tag this rule is about.")
    if not destinations:
        errors.setdefault("destinations", []).append("Choose at least one destination.")
    if any(destination.team_id != rule.team_id for destination in destinations):
        errors.setdefault("destinations", []).append("A destination belongs to another team.")
    if errors:
        raise NotificationInvalidError(errors)
    rule.name, rule.trigger, rule.scope, rule.gateway_tag = name, values["trigger"], scope, tag
    rule.enabled = bool(values.get("enabled", True))


def _check_name(errors: dict, model, instance, name: str) -> None:
    if not name:
        errors.setdefault("name", []).append("Give it a name.")
    elif len(name) > 100:
        errors.setdefault("name", []).append("At most 100 characters.")
    elif model.objects.filter(team_id=instance.team_id, name=name).exclude(pk=instance.pk).exists():
        errors.setdefault("name", []).append(f"{name!r} is already taken in this team.")


def _refuse_unknown(changes: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ApplicationError(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
