"""Reads of gateway targets, scoped to the user's teams."""

from django.db.models import QuerySet

from apps.accounts.models import Team, User
from apps.accounts.selectors import scope_to_user
from apps.core.errors import NotFoundError
from apps.gateways.models import Gateway


def gateway_list_for_user(user: User) -> QuerySet[Gateway]:
    """Gateways of the user's teams (admins: all), with team and default credential."""
    return scope_to_user(Gateway.objects.select_related("team", "default_credential"), user)


def gateway_get_for_user(user: User, gateway_id: int) -> Gateway:
    """One gateway the user may see, or ``NotFoundError``."""
    try:
        return gateway_list_for_user(user).get(pk=gateway_id)
    except Gateway.DoesNotExist:
        raise NotFoundError(f"Gateway {gateway_id} does not exist or is not yours.") from None


def gateway_base_urls_for_team(team: Team) -> set[str]:
    """The base URLs of the gateways registered in ``team`` (stored normalised)."""
    return set(Gateway.objects.filter(team=team).values_list("base_url", flat=True))
