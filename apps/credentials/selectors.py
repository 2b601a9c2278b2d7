"""Reads of the credential vault, scoped to what a user may see and use."""

from django.db.models import Q, QuerySet

from apps.accounts.models import Team, User
from apps.accounts.selectors import scope_to_user, user_is_admin
from apps.core.errors import NotFoundError
from apps.credentials.models import Credential


def credential_list_for_user(user: User) -> QuerySet[Credential]:
    """Credentials of the user's teams that are shared or owned by the user (admins: all)."""
    queryset = scope_to_user(Credential.objects.select_related("team", "owner"), user)
    if user_is_admin(user):
        return queryset
    return queryset.filter(Q(shared=True) | Q(owner=user))


def credential_get_for_user(user: User, credential_id: int) -> Credential:
    """One credential the user may see, or ``NotFoundError``."""
    try:
        return credential_list_for_user(user).get(pk=credential_id)
    except Credential.DoesNotExist:
        raise NotFoundError(f"Credential {credential_id} does not exist or is not yours.") from None


def credential_names_for_team(team: Team) -> set[str]:
    """Every credential name of a team; names are references, never secrets."""
    return set(Credential.objects.filter(team=team).values_list("name", flat=True))


def credential_names_for_user(user: User, team: Team) -> set[str]:
    """The names of the credentials of ``team`` that the user may use (shared or their own)."""
    return set(credential_list_for_user(user).filter(team=team).values_list("name", flat=True))


def credential_get_by_name_for_user(user: User, team: Team, name: str) -> Credential:
    """The credential called ``name`` in ``team`` that the user may use, or ``NotFoundError``."""
    try:
        return credential_list_for_user(user).get(team=team, name=name)
    except Credential.DoesNotExist:
        raise NotFoundError(f"Credential {name!r} not found in the vault of {team}.") from None
