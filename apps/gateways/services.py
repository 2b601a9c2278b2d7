"""Every write to gateway targets, and the status ping."""

from typing import Any

from django.db import transaction

from apps.accounts.models import Team, User
from apps.accounts.roles import Role
from apps.accounts.services import audit_record
from apps.core import gateway_probe as probe
from apps.core.errors import ApplicationError, ConflictError
from apps.credentials.access import require_team_role
from apps.credentials.models import Credential
from apps.credentials.selectors import credential_list_for_user
from apps.credentials.services import credential_create
from apps.gateways.models import Gateway, GatewayVersion

UPDATABLE_FIELDS = (
    "name",
    "base_url",
    "version",
    "default_credential",
    "tags",
    "allow_concurrent_runs",
    "description",
)


@transaction.atomic
def gateway_create(
    *,
    team: Team,
    actor: User,
    name: str,
    base_url: str,
    version: str = GatewayVersion.V8_3,
    default_credential: Credential | None = None,
    tags: list[str] | None = None,
    allow_concurrent_runs: bool = False,
    description: str = "",
) -> Gateway:
    """Add a gateway target to ``team``; names are unique in the team."""
    require_team_role(actor, team, Role.EDITOR, what="change gateways")
    gateway = Gateway(team=team)
    _apply(
        gateway,
        actor=actor,
        name=name,
        base_url=base_url,
        version=version,
        default_credential=default_credential,
        tags=tags or [],
        allow_concurrent_runs=allow_concurrent_runs,
        description=description,
    )
    gateway.save()
    audit_record(actor, "gateway.create", target=gateway, details={"base_url": gateway.base_url})
    return gateway


@transaction.atomic
def gateway_update(gateway: Gateway, *, actor: User, **changes: Any) -> Gateway:
    """Change some fields of a gateway target."""
    require_team_role(actor, gateway.team, Role.EDITOR, what="change gateways")
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise ApplicationError(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    current = {name: getattr(gateway, name) for name in UPDATABLE_FIELDS}
    _apply(gateway, actor=actor, **{**current, **changes})
    gateway.save()
    audit_record(actor, "gateway.update", target=gateway, details={"fields": sorted(changes)})
    return gateway


@transaction.atomic
def gateway_delete(gateway: Gateway, *, actor: User) -> None:
    """Remove a gateway target."""
    require_team_role(actor, gateway.team, Role.EDITOR, what="change gateways")
    audit_record(actor, "gateway.delete", target=gateway)
    gateway.delete()


def gateway_ping(
    gateway: Gateway, *, timeout: float = probe.DEFAULT_TIMEOUT_SECONDS
) -> probe.ProbeResult:
    """GET the gateway's ``/StatusPing``: reachable and RUNNING, or why not."""
    return probe.status_ping(gateway.base_url, timeout=timeout)


def _apply(gateway: Gateway, *, actor: User, **values: Any) -> None:
    name = values["name"].strip()
    if not name:
        raise ApplicationError("A gateway needs a name.")
    if Gateway.objects.filter(team=gateway.team, name=name).exclude(pk=gateway.pk).exists():
        raise ConflictError(f"A gateway named {name!r} already exists in {gateway.team}.")
    if values["version"] not in GatewayVersion.values:
        raise ApplicationError(f"Unknown gateway version {values['version']!r}; use 8.1 or 8.3.")
    _check_credential(values["default_credential"], gateway=gateway, actor=actor)
    _check_tags(values["tags"])
    gateway.name = name
    gateway.base_url = probe.validate_base_url(values["base_url"])
    gateway.version = values["version"]
    gateway.default_credential = values["default_credential"]
    gateway.tags = list(values["tags"])
    gateway.allow_concurrent_runs = bool(values["allow_concurrent_runs"])
    gateway.description = values["description"]


def _check_credential(credential: Credential | None, *, gateway: Gateway, actor: User) -> None:
    if credential is None:
        return
    usable = credential_list_for_user(actor).filter(pk=credential.pk, team=gateway.team)
    if credential.team_id != gateway.team_id or not usable.exists():
        raise ApplicationError(
            f"Credential {credential.name!r} is not a credential of {gateway.team} you may use."
        )


def _check_tags(tags: object) -> None:
    if not isinstance(tags, list) or not all(isinstance(tag, str) and tag for tag in tags):
        raise ApplicationError("Tags must be a list of non-empty strings.")


DEMO_GATEWAY_NAME = "Local simulator"
DEMO_CREDENTIAL_NAME = "local-simulator-admin"
# The bundled gateway simulator's documented default login (apps/simulator/config.py).
DEMO_USERNAME, DEMO_PASSWORD = "admin", "password"  # noqa: S105


@transaction.atomic
def gateway_ensure_demo(*, team: Team, actor: User, base_url: str) -> tuple[Gateway, bool]:
    """Create the demo simulator target and its login once; return it and whether it is new.

    Existing objects of the same names are left exactly as they are (a user may have edited
    them), so running this at every start is harmless.
    """
    existing = Gateway.objects.filter(team=team, name=DEMO_GATEWAY_NAME).first()
    if existing is not None:
        return existing, False
    credential = Credential.objects.filter(team=team, name=DEMO_CREDENTIAL_NAME).first()
    if credential is None:
        credential = credential_create(
            team=team,
            actor=actor,
            name=DEMO_CREDENTIAL_NAME,
            username=DEMO_USERNAME,
            secret=DEMO_PASSWORD,
            gateway_url=base_url,
            description="Default login of the bundled gateway simulator.",
            shared=True,
        )
    gateway = gateway_create(
        team=team,
        actor=actor,
        name=DEMO_GATEWAY_NAME,
        base_url=base_url,
        version=GatewayVersion.V8_3,
        default_credential=credential,
        tags=["demo", "simulator"],
        description="The gateway simulator started by `make run`.",
    )
    return gateway, True
