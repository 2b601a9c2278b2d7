import factory

from apps.gateways.models import Gateway
from tests.accounts.factories import TeamFactory


class GatewayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gateway

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"gateway-{n}")
    base_url = "http://127.0.0.1:8088"
    version = "8.3"
