import pytest

from apps.accounts.models import AuditEntry, Membership, Team, User
from apps.accounts.services import (
    admin_bootstrap,
    audit_record,
    team_add_member,
    team_create,
    user_create,
)
from apps.core.errors import ApplicationError
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_team_create_records_who_did_it(admin_user):
    team = team_create(name="  Packaging  ", description="Line 3", actor=admin_user)

    assert (team.name, team.description) == ("Packaging", "Line 3")
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.object_repr) == (
        admin_user,
        "team.create",
        "Packaging",
    )


def test_team_names_are_unique_ignoring_case(team):
    with pytest.raises(ApplicationError, match="A team named 'line 1' already exists."):
        team_create(name="line 1")

    assert Team.objects.count() == 1


def test_team_needs_a_name():
    with pytest.raises(ApplicationError, match="A team needs a name."):
        team_create(name="   ")


def test_team_add_member_is_idempotent(team, admin_user):
    user = UserFactory()

    team_add_member(team, user=user, actor=admin_user)
    team_add_member(team, user=user, actor=admin_user)

    assert Membership.objects.filter(team=team, user=user).count() == 1
    assert AuditEntry.objects.filter(action="team.add_member").count() == 1


def test_user_create_sets_roles_and_teams(team):
    user = user_create(
        username="olga", password="s3cret-pass-phrase", roles=("operator",), teams=(team,)
    )

    assert list(user.groups.values_list("name", flat=True)) == ["operator"]
    assert list(user.teams.all()) == [team]
    assert user.check_password("s3cret-pass-phrase") is True


def test_user_create_rejects_duplicate_usernames(editor):
    with pytest.raises(ApplicationError, match="A user named 'ERIN-EDITOR' already exists."):
        user_create(username="ERIN-EDITOR", password="whatever-long-enough")

    assert User.objects.filter(username__iexact="erin-editor").count() == 1


def test_audit_without_actor_is_attributed_to_the_system():
    entry = audit_record(None, "library.sync", details={"files": 3})

    assert (entry.actor, entry.actor_name, entry.object_type, entry.details) == (
        None,
        "system",
        "",
        {"files": 3},
    )
    assert str(entry) == "system library.sync"


def test_admin_bootstrap_creates_one_admin_once():
    user, password = admin_bootstrap()

    assert user.is_superuser is True
    assert user.check_password(password) is True
    assert len(password) >= 16
    assert [team.name for team in user.teams.all()] == ["Default"]
    assert admin_bootstrap() is None
    assert User.objects.filter(is_superuser=True).count() == 1


def test_admin_bootstrap_reuses_an_existing_default_team():
    team_create(name="Default")

    user, _ = admin_bootstrap()

    assert Team.objects.count() == 1
    assert user.teams.get().name == "Default"
