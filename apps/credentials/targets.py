"""The gateway URLs a team's credentials may be tested against.

Gateways sit above credentials, so the gateways app registers its lookup when it loads and the
credential services ask through ``team_gateway_urls`` without importing gateways.
"""

from collections.abc import Callable, Iterable

from apps.accounts.models import Team

TeamGatewayUrls = Callable[[Team], Iterable[str]]

_lookup: list[TeamGatewayUrls] = []


def register_team_gateway_urls(lookup: TeamGatewayUrls) -> None:
    """Make ``lookup`` the source of the gateway URLs registered in a team."""
    _lookup[:] = [lookup]


def team_gateway_urls(team: Team) -> set[str]:
    """The base URLs of the gateways registered in ``team``; none before gateways registers."""
    return {url for lookup in _lookup for url in lookup(team)}
