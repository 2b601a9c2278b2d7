import factory

from apps.accounts.models import Membership, Team, User
from apps.accounts.services import role_group

PASSWORD = "correct-horse-battery-staple"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set([role_group(name) for name in extracted])

    @factory.post_generation
    def teams(self, create, extracted, **kwargs):
        for team in extracted or ():
            Membership.objects.create(user=self, team=team)
