"""Every write to users, teams, memberships and the audit log."""

import secrets

from django.contrib.auth.models import Group
from django.db import transaction

from apps.accounts.models import AuditEntry, Membership, Team, User
from apps.accounts.roles import Role
from apps.core.errors import ApplicationError, PermissionDeniedError

ADMIN_ROLE_REFUSAL = "Only a superuser may give the admin role: it acts on every team."


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


def team_check_name(name: str, *, team: Team | None = None) -> str:
    """The stripped name, or ``ApplicationError`` when it is empty or another team has it."""
    name = name.strip()
    if not name:
        raise ApplicationError("A team needs a name.")
    others = Team.objects.exclude(pk=team.pk) if team is not None else Team.objects.all()
    if others.filter(name__iexact=name).exists():
        raise ApplicationError(f"A team named {name!r} already exists: choose another name.")
    return name


@transaction.atomic
def team_create(*, name: str, description: str = "", actor: User | None = None) -> Team:
    """Create a team with a unique name."""
    name = team_check_name(name)
    team = Team.objects.create(name=name, description=description)
    audit_record(actor, "team.create", target=team)
    transaction.on_commit(lambda: _give_library(team))
    return team


def _give_library(team: Team) -> None:
    """A new team gets the shipped playbook library at once, not at the next sync."""
    from apps.playbooks.services import playbook_library_sync, shipped_library_root

    root = shipped_library_root()
    if root.is_dir():
        playbook_library_sync(root=root, teams=[team])


@transaction.atomic
def team_update(
    team: Team, *, actor: User | None, name: str | None = None, description: str | None = None
) -> Team:
    """Rename a team or change its description; the rename keeps names unique."""
    changes = {}
    if name is not None and name.strip() != team.name:
        name = team_check_name(name, team=team)
        changes["name"] = [team.name, name]
        team.name = name
    if description is not None and description != team.description:
        changes["description"] = [team.description, description]
        team.description = description
    if changes:
        team.save(update_fields=[*changes, "updated_at"])
        audit_record(actor, "team.update", target=team, details=changes)
    return team


@transaction.atomic
def team_delete(team: Team, *, actor: User | None) -> None:
    """Delete a team (and, by cascade, what it owns); the audit entry keeps its name."""
    audit_record(actor, "team.delete", target=team, details={"name": team.name})
    team.delete()


@transaction.atomic
def team_add_member(team: Team, *, user: User, actor: User | None = None) -> Membership:
    """Make ``user`` a member of ``team`` (idempotent)."""
    membership, created = Membership.objects.get_or_create(team=team, user=user)
    if created:
        audit_record(actor, "team.add_member", target=team, details={"user": user.username})
    return membership


@transaction.atomic
def team_remove_member(team: Team, *, user: User, actor: User | None) -> None:
    """End ``user``'s membership of ``team`` (nothing happens when there is none)."""
    deleted, _ = Membership.objects.filter(team=team, user=user).delete()
    if deleted:
        audit_record(actor, "team.remove_member", target=team, details={"user": user.username})


@transaction.atomic
def user_set_teams(user: User, *, teams, actor: User | None) -> None:
    """Make ``teams`` exactly the user's teams, auditing each membership added or removed."""
    wanted = {team.pk: team for team in teams}
    current = {team.pk: team for team in Team.objects.filter(membership__user=user)}
    for team_id, team in current.items():
        if team_id not in wanted:
            team_remove_member(team, user=user, actor=actor)
    for team_id, team in wanted.items():
        if team_id not in current:
            team_add_member(team, user=user, actor=actor)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    email: str = "",
    roles: tuple[Role, ...] = (),
    teams: tuple[Team, ...] = (),
    is_staff: bool = False,
    is_superuser: bool = False,
    actor: User | None = None,
) -> User:
    """Create a user with roles and team memberships; ``password=None`` disables password login."""
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
    details = {"roles": [str(r) for r in roles], "is_staff": user.is_staff}
    audit_record(
        actor, "user.create", target=user, details={**details, "is_superuser": is_superuser}
    )
    return user


USER_FLAGS = ("is_active", "is_staff", "is_superuser")
USER_FIELDS = ("username", "first_name", "last_name", "email", *USER_FLAGS)


@transaction.atomic
def user_update(
    user: User, *, actor: User | None, groups=None, permissions=None, **changes
) -> User:
    """Change a user's fields (``USER_FIELDS``), groups (roles) or permissions, audited.

    The audit entry names every changed field, the new value of each flag and the groups or
    permissions added and removed.
    """
    unknown = sorted(set(changes) - set(USER_FIELDS))
    if unknown:
        raise ApplicationError(f"Users have no field {', '.join(unknown)}; use {USER_FIELDS}.")
    _require_may_give_roles(user, groups, actor=actor)
    changed = {name: value for name, value in changes.items() if getattr(user, name) != value}
    for name, value in changed.items():
        setattr(user, name, value)
    if changed:
        user.save(update_fields=list(changed))
    details = {"fields": sorted(changed)} if changed else {}
    details.update({name: changed[name] for name in USER_FLAGS if name in changed})
    if groups is not None:
        details.update(_replace_related(user.groups, groups, "groups", label="name"))
    if permissions is not None:
        details.update(_replace_related(user.user_permissions, permissions, "permissions"))
    if details:
        audit_record(actor, "user.update", target=user, details=details)
    return user


def _require_may_give_roles(user: User, groups, *, actor: User | None) -> None:
    """Only a superuser (or the system) gives the admin role, which acts on every team."""
    if groups is None or actor is None or actor.is_superuser:
        return
    admin_role = role_group(Role.ADMIN)
    if admin_role in set(groups) and not user.groups.filter(pk=admin_role.pk).exists():
        raise PermissionDeniedError(ADMIN_ROLE_REFUSAL)


def _replace_related(manager, wanted, name: str, *, label: str = "codename") -> dict:
    """Set a many-to-many relation to ``wanted``; the names added and removed, if any."""
    current = set(manager.all())
    wanted = set(wanted)
    manager.set(wanted)
    details = {}
    if wanted - current:
        details[f"{name}_added"] = sorted(getattr(item, label) for item in wanted - current)
    if current - wanted:
        details[f"{name}_removed"] = sorted(getattr(item, label) for item in current - wanted)
    return details


@transaction.atomic
def user_set_password(user: User, *, password: str | None, actor: User | None) -> User:
    """Set a new password, or with ``None`` disable password login; never audits the value."""
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor, "user.set_password", target=user, details={"usable": password is not None})
    return user


@transaction.atomic
def user_delete(user: User, *, actor: User | None) -> None:
    """Delete a user; the audit entry keeps the username (entries by them keep theirs)."""
    audit_record(actor, "user.delete", target=user, details={"username": user.username})
    user.delete()


def role_group(role: Role | str) -> Group:
    """The group behind a role (made by a migration; recreated if someone deleted it)."""
    return Group.objects.get_or_create(name=Role(role).value)[0]


DEFAULT_TEAM_NAME = "Default"


@transaction.atomic
def admin_bootstrap(*, username: str = "admin", password: str = "") -> tuple[User, str] | None:
    """On first start, create an admin and a default team.

    The admin gets ``password`` when given (an installation's settings), else a random one.
    Returns the user and the generated clear password (to be shown once; ``""`` when the
    password was given), or ``None`` when any superuser already exists.
    """
    if User.objects.filter(is_superuser=True).exists():
        return None
    team = Team.objects.filter(name=DEFAULT_TEAM_NAME).first() or team_create(
        name=DEFAULT_TEAM_NAME
    )
    generated = "" if password else secrets.token_urlsafe(12)
    password = password or generated
    user = user_create(
        username=username, password=password, roles=(Role.ADMIN,), teams=(team,), is_superuser=True
    )
    return user, generated
