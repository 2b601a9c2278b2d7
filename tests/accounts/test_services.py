import pytest

from apps.accounts.models import AuditEntry, Membership, Team, User
from apps.accounts.services import (
    admin_bootstrap,
    audit_record,
    team_add_member,
    team_create,
    team_remove_member,
    team_update,
    user_create,
    user_set_password,
    user_update,
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


def test_team_update_refuses_an_empty_name_and_changes_nothing(team, admin_user):
    with pytest.raises(ApplicationError, match="A team needs a name."):
        team_update(team, actor=admin_user, name="   ")

    team.refresh_from_db()
    assert team.name == "Line 1"
    assert not AuditEntry.objects.exists()


def test_unchanged_values_and_absent_members_leave_no_audit_entry(team, admin_user, outsider):
    team_update(team, actor=admin_user, name="Line 1", description="")
    user_update(outsider, actor=admin_user, email=outsider.email)
    team_remove_member(team, user=outsider, actor=admin_user)

    assert not AuditEntry.objects.exists()


def test_user_update_names_the_fields_users_have(editor, admin_user):
    with pytest.raises(ApplicationError, match="Users have no field password"):
        user_update(editor, actor=admin_user, password="x")

    assert not AuditEntry.objects.exists()


def test_password_login_can_be_disabled(editor, admin_user):
    user_set_password(editor, password=None, actor=admin_user)

    editor.refresh_from_db()
    assert editor.has_usable_password() is False
    assert AuditEntry.objects.get().details == {"usable": False}
