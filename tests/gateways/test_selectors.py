import pytest

from apps.core.errors import NotFoundError
from apps.gateways.selectors import gateway_get_for_user, gateway_list_for_user
from tests.gateways.factories import GatewayFactory

pytestmark = pytest.mark.django_db


def test_members_see_their_teams_gateways(team, other_team, viewer, admin_user):
    mine = GatewayFactory(team=team, name="a")
    other = GatewayFactory(team=other_team, name="b")

    assert list(gateway_list_for_user(viewer)) == [mine]
    assert list(gateway_list_for_user(admin_user)) == [mine, other]
    assert gateway_get_for_user(viewer, mine.pk) == mine
    with pytest.raises(NotFoundError, match=f"Gateway {other.pk} does not exist or is not yours."):
        gateway_get_for_user(viewer, other.pk)
