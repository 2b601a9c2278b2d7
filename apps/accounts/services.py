"""Every write to users, teams, memberships and the audit log."""

import secrets

from django.contrib.auth.models import Group
from django.db import transaction

from apps.accounts.models import AuditEntry, Membership, Team, User
from apps.accounts.roles import Role
from apps.core.errors import ApplicationError


def audit_record(
    actor: User | None,
    action: str,
    *,
    target=None,
    details: dict | None = None,
) -> AuditEntry:
    """Append one audit entry; ``target`` is any model instance (or ``None``)."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.get_username()
        if actor is not None and actor.is_authenticated
        else "system",
        action=action,
        object_type=target._meta.label if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        details=details or {},
    )


@transaction.atomic
def team_create(*, name: str, description: str = "", actor: User | None = None) -> Team:
    """Create a team with a unique name."""
    name = name.strip()
    if not name:
        raise ApplicationError("A team needs a name.")
    if Team.objects.filter(name__iexact=name).exists():
        raise ApplicationError(f"A team named {name!r} already exists.")
    team = Team.objects.create(name=name, description=description)
    audit_record(actor, "team.create", target=team)
    return team


@transaction.atomic
def team_add_member(team: Team, *, user: User, actor: User | None = None) -> Membership:
    """Make ``user`` a member of ``team`` (idempotent)."""
    membership, created = Membership.objects.get_or_create(team=team, user=user)
    if created:
        audit_record(actor, "team.add_member", target=team, details={"user": user.username})
    return membership


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    email: str = "",
    roles: tuple[Role, ...] = (),
    teams: tuple[Team, ...] = (),
    is_staff: bool = False,
    is_superuser: bool = False,
    actor: User | None = None,
) -> User:
    """Create a user with roles and team memberships."""
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(f"A user named {username!r} already exists.")
    user = User.objects.create_user(
        username=username,
        password=password,
        email=email,
        is_staff=is_staff or is_superuser,
        is_superuser=is_superuser,
    )
    user.groups.set([role_group(role) for role in roles])
    for team in teams:
        Membership.objects.create(team=team, user=user)
    audit_record(actor, "user.create", target=user, details={"roles": [str(r) for r in roles]})
    return user


def role_group(role: Role | str) -> Group:
    """The group behind a role (made by a migration; recreated if someone deleted it)."""
    return Group.objects.get_or_create(name=Role(role).value)[0]


DEFAULT_TEAM_NAME = "Default"


@transaction.atomic
def admin_bootstrap(*, username: str = "admin") -> tuple[User, str] | None:
    """On first start, create an admin with a random password and a default team.

    Returns the user and the clear password (to be shown once), or ``None`` when any
    superuser already exists.
    """
    if User.objects.filter(is_superuser=True).exists():
        return None
    team = Team.objects.filter(name=DEFAULT_TEAM_NAME).first() or team_create(
        name=DEFAULT_TEAM_NAME
    )
    password = secrets.token_urlsafe(12)
    user = user_create(
        username=username, password=password, roles=(Role.ADMIN,), teams=(team,), is_superuser=True
    )
    return user, password
