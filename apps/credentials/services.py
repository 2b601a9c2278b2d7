"""Every write to the credential vault, plus resolving and testing a credential.

Secrets are write-only: nothing here returns or logs a secret except ``credential_resolve``,
whose result is meant for the execution engine and masks itself when printed.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from apps.accounts.models import Team, User
from apps.accounts.roles import Role
from apps.accounts.services import audit_record
from apps.core import gateway_probe as probe
from apps.core.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)
from apps.credentials.access import require_team_role, user_holds_team_role
from apps.credentials.models import SECRET_PLACEHOLDER, Credential, CredentialKind
from apps.credentials.selectors import credential_list_for_user
from apps.credentials.targets import team_gateway_urls

UPDATABLE_FIELDS = ("username", "secret", "gateway_url", "description", "shared")


@dataclass(frozen=True)
class ResolvedCredential:
    """A decrypted credential for the engine; ``repr`` and ``str`` never show the secret."""

    name: str
    kind: str
    username: str
    gateway_url: str
    description: str
    secret: str = field(repr=False)

    @property
    def password(self) -> str:
        return self.secret

    def __str__(self) -> str:
        return self.name


@transaction.atomic
def credential_create(
    *,
    team: Team,
    actor: User,
    name: str,
    secret: str,
    kind: str = CredentialKind.USERNAME_PASSWORD,
    username: str = "",
    gateway_url: str = "",
    description: str = "",
    shared: bool = False,
) -> Credential:
    """Store a new credential in ``team``'s vault; the name is unique in the team."""
    require_team_role(actor, team, Role.EDITOR, what="change credentials")
    name = name.strip()
    if not name:
        raise ApplicationError("A credential needs a name.")
    if Credential.objects.filter(team=team, name=name).exists():
        raise ConflictError(f"A credential named {name!r} already exists in {team}.")
    if not secret or secret == SECRET_PLACEHOLDER:
        raise ApplicationError(
            f"Give the secret itself; {SECRET_PLACEHOLDER} only stands for an unchanged one."
        )
    credential = Credential(team=team, name=name, secret=secret, owner=actor, shared=shared)
    _apply(credential, kind=kind, username=username, gateway_url=gateway_url)
    credential.description = description
    credential.save()
    audit_record(actor, "credential.create", target=credential, details={"kind": kind})
    return credential


@transaction.atomic
def credential_update(credential: Credential, *, actor: User, **changes: Any) -> Credential:
    """Change a credential's fields; a missing or placeholder ``secret`` keeps the old one."""
    _require_can_change(credential, actor)
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise ApplicationError(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    if changes.get("secret") in (None, "", SECRET_PLACEHOLDER):
        changes.pop("secret", None)
    details = {
        "fields": sorted(set(changes) - {"secret"}),
        "secret_changed": "secret" in changes,
    }
    _apply(
        credential,
        kind=credential.kind,
        username=changes.pop("username", credential.username),
        gateway_url=changes.pop("gateway_url", credential.gateway_url),
    )
    for name, value in changes.items():
        setattr(credential, name, value)
    credential.save()
    audit_record(actor, "credential.update", target=credential, details=details)
    return credential


@transaction.atomic
def credential_delete(credential: Credential, *, actor: User) -> None:
    """Remove a credential; gateways that used it as default lose their default."""
    _require_can_change(credential, actor)
    audit_record(actor, "credential.delete", target=credential)
    credential.delete()


def credential_resolve(
    credential: Credential, *, actor: User | None, purpose: str = ""
) -> ResolvedCredential:
    """Decrypt a credential for use and record who used it and why.

    With an ``actor`` the credential must be one the actor may use (shared or their own);
    ``actor=None`` is the system (e.g. a scheduled run) and is audited as such.
    """
    if actor is not None and not credential_list_for_user(actor).filter(pk=credential.pk).exists():
        raise PermissionDeniedError(f"You may not use credential {credential.name!r}.")
    audit_record(actor, "credential.use", target=credential, details={"purpose": purpose})
    return ResolvedCredential(
        name=credential.name,
        kind=credential.kind,
        username=credential.username,
        gateway_url=credential.gateway_url,
        description=credential.description,
        secret=credential.secret,
    )


def credential_test_connection(
    credential: Credential,
    *,
    actor: User,
    gateway_url: str = "",
    timeout: float = probe.DEFAULT_TIMEOUT_SECONDS,
) -> probe.ProbeResult:
    """Check that the gateway answers and, for API tokens, that it accepts the token.

    ``credential_test_target`` decides first, so a refused test sends no request at all.
    """
    base_url = credential_test_target(credential, actor=actor, gateway_url=gateway_url)
    result = probe.status_ping(base_url, timeout=timeout)
    if not result.ok:
        return result
    if credential.kind != CredentialKind.API_TOKEN:
        result.message += " The password itself is checked when a playbook logs in."
        return result
    resolved = credential_resolve(credential, actor=actor, purpose="test connection")
    return probe.gateway_info(base_url, token=resolved.secret, timeout=timeout)


def credential_test_target(credential: Credential, *, actor: User, gateway_url: str = "") -> str:
    """The URL ``actor`` may send ``credential`` to in a connection test, or refuse.

    A test uses the credential, so it needs the right to use it: the credential is visible to
    the actor (shared, or their own) and the actor runs playbooks (operator) or may change the
    credential (editor) in its team. The target is the credential's own URL or the base URL of
    a gateway registered in its team; any other URL only for an actor who may change the
    credential, who could set that URL on it anyway.
    """
    team = credential.team
    if not credential_list_for_user(actor).filter(pk=credential.pk).exists():
        raise NotFoundError(f"Credential {credential.name!r} does not exist or is not yours.")
    may_change = user_holds_team_role(actor, team, Role.EDITOR)
    if not (may_change or user_holds_team_role(actor, team, Role.OPERATOR)):
        raise PermissionDeniedError(
            f"Only operators and editors of {team} may test credential {credential.name!r}; "
            "viewers cannot make the portal use a credential."
        )
    if credential.kind == CredentialKind.AI_API_KEY:
        raise ApplicationError("An AI API key has no gateway to test a connection against.")
    if not (gateway_url or credential.gateway_url):
        raise ApplicationError(
            f"Credential {credential.name!r} has no gateway URL: give one to test against."
        )
    target = probe.validate_base_url(gateway_url or credential.gateway_url)
    if may_change or target in {credential.gateway_url, *team_gateway_urls(team)}:
        return target
    raise PermissionDeniedError(
        f"Credential {credential.name!r} may be tested only against its own URL "
        f"({credential.gateway_url or 'none set'}) or a gateway registered in {team}, "
        f"not {target}. Register the gateway first, or ask an editor who may change the "
        "credential."
    )


def credential_check_fields(*, kind: str, username: str, gateway_url: str) -> str:
    """Validate the non-secret fields; return the normalised gateway URL."""
    if kind not in CredentialKind.values:
        raise ApplicationError(
            f"Unknown credential kind {kind!r}; use one of {', '.join(CredentialKind.values)}."
        )
    if kind == CredentialKind.USERNAME_PASSWORD and not username.strip():
        raise ApplicationError("A username/password credential needs a username.")
    return probe.validate_base_url(gateway_url) if gateway_url else ""


def _apply(credential: Credential, *, kind: str, username: str, gateway_url: str) -> None:
    gateway_url = credential_check_fields(kind=kind, username=username, gateway_url=gateway_url)
    credential.kind = kind
    credential.username = username.strip()
    credential.gateway_url = gateway_url


def _require_can_change(credential: Credential, actor: User) -> None:
    require_team_role(actor, credential.team, Role.EDITOR, what="change credentials")
    if not credential_list_for_user(actor).filter(pk=credential.pk).exists():
        raise PermissionDeniedError(
            f"Credential {credential.name!r} is private to its owner; only they may change it."
        )
