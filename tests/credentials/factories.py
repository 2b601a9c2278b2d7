import factory

from apps.credentials.models import Credential, CredentialKind
from tests.accounts.factories import TeamFactory

SECRET = "Tr0ub4dor-and-3-horses"


class CredentialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credential

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"credential-{n}")
    kind = CredentialKind.USERNAME_PASSWORD
    username = "admin"
    secret = SECRET
    shared = True
