import pytest

from apps.credentials.targets import team_gateway_urls
from tests.gateways.factories import GatewayFactory

pytestmark = pytest.mark.django_db


def test_lists_the_gateways_registered_in_the_team(team):
    GatewayFactory(team=team, base_url="http://plant-a:8088")
    GatewayFactory(base_url="http://elsewhere:8088")

    assert team_gateway_urls(team) == {"http://plant-a:8088"}
