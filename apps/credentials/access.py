"""Write-access rules shared by the catalogue apps (credentials, gateways, playbooks).

Kept in one place so the rule "editors of the owning team (and admins) write" exists once.
It belongs in ``apps.accounts.selectors`` and can move there unchanged.
"""

from apps.accounts.models import Team, User
from apps.accounts.roles import Role
from apps.accounts.selectors import (
    team_get_for_user,
    team_list_for_user,
    user_has_role,
    user_is_admin,
)
from apps.core.errors import ApplicationError, PermissionDeniedError


def user_is_team_member(user: User, team: Team) -> bool:
    """Whether ``user`` belongs to ``team`` (admins count as members of every team)."""
    return team_list_for_user(user).filter(pk=team.pk).exists()


def user_holds_team_role(actor: User, team: Team, role: Role) -> bool:
    """Whether ``actor`` holds ``role`` and belongs to ``team`` (admins always do)."""
    if user_is_admin(actor):
        return True
    return user_has_role(actor, role) and user_is_team_member(actor, team)


def require_team_role(actor: User, team: Team, role: Role, *, what: str) -> None:
    """Raise ``PermissionDeniedError`` unless ``actor`` holds ``role`` in ``team``."""
    if not user_holds_team_role(actor, team, role):
        raise PermissionDeniedError(
            f"Only {role.label.split(':')[0].lower()}s of {team} may {what}."
        )


def team_for_write(user: User, team_id: int | None) -> Team:
    """The team a new object goes into: the one named, or the user's only team."""
    if team_id is not None:
        return team_get_for_user(user, team_id)
    teams = list(team_list_for_user(user)[:2])
    if len(teams) == 1:
        return teams[0]
    if not teams:
        raise ApplicationError("You belong to no team; ask an admin to add you to one.")
    raise ApplicationError("You belong to several teams: choose one with the 'team' field.")
