"""Reads about users and teams, and the team scoping every other app's selectors use."""

from typing import TypeVar

from django.db.models import Model, QuerySet

from apps.accounts.models import Team, User
from apps.accounts.roles import Role
from apps.core.errors import NotFoundError

M = TypeVar("M", bound=Model)


def user_is_admin(user: User) -> bool:
    """Superusers and members of the ``admin`` role see and act on everything."""
    return user.is_superuser or user_has_role(user, Role.ADMIN)


def user_has_role(user: User, role: Role | str) -> bool:
    """Whether the user holds ``role``; admins hold every role."""
    if not user.is_authenticated or not user.is_active:
        return False
    names = user_role_names(user)
    return user.is_superuser or Role.ADMIN in names or str(role) in names


def user_role_names(user: User) -> set[str]:
    """The role names of a user, cached on the instance for the request."""
    cached: set[str] | None = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        user._role_names = cached  # type: ignore[attr-defined]
    return cached


def team_list_for_user(user: User) -> QuerySet[Team]:
    """The teams a user may see: all of them for admins, their own otherwise."""
    if user_is_admin(user):
        return Team.objects.all()
    return Team.objects.filter(membership__user=user)


def team_get_for_user(user: User, team_id: int) -> Team:
    """One team the user may see, or ``NotFoundError``."""
    try:
        return team_list_for_user(user).get(pk=team_id)
    except Team.DoesNotExist:
        raise NotFoundError(f"Team {team_id} does not exist or is not yours.") from None


def scope_to_user(queryset: QuerySet[M], user: User, *, team_field: str = "team") -> QuerySet[M]:
    """Limit ``queryset`` to objects owned by the user's teams (admins: everything).

    Every ``<entity>_list_for_user`` / ``<entity>_get_for_user`` selector is built on this, so
    the access rule exists once.
    """
    if user_is_admin(user):
        return queryset
    return queryset.filter(**{f"{team_field}__membership__user": user})
