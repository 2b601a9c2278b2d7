import pytest

from apps.accounts.models import Membership
from apps.accounts.selectors import (
    scope_to_user,
    team_get_for_user,
    team_list_for_user,
    user_has_role,
    user_is_admin,
)
from apps.core.errors import NotFoundError
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_members_see_only_their_teams(editor, team, other_team):
    assert list(team_list_for_user(editor)) == [team]


def test_admins_see_every_team(admin_user, team, other_team):
    assert list(team_list_for_user(admin_user)) == [team, other_team]


def test_superuser_counts_as_admin(team):
    root = UserFactory(is_superuser=True)

    assert user_is_admin(root) is True
    assert user_has_role(root, "editor") is True


def test_other_teams_are_not_found(editor, other_team):
    with pytest.raises(
        NotFoundError, match=f"Team {other_team.pk} does not exist or is not yours."
    ):
        team_get_for_user(editor, other_team.pk)


def test_own_team_is_found(editor, team):
    assert team_get_for_user(editor, team.pk) == team


@pytest.mark.parametrize(
    ("_case", "roles", "asked", "expected"),
    [
        ("holds it", ["operator"], "operator", True),
        ("lacks it", ["viewer"], "operator", False),
        ("admin holds all", ["admin"], "editor", True),
    ],
)
def test_user_has_role(_case, roles, asked, expected):
    user = UserFactory(roles=roles)

    assert user_has_role(user, asked) is expected


def test_inactive_users_hold_no_role():
    user = UserFactory(roles=["editor"], is_active=False)

    assert user_has_role(user, "editor") is False


def test_scope_to_user_keeps_objects_of_the_users_teams(editor, viewer, outsider, team):
    """Memberships belong to a team, so they show the scoping rule on a real model."""
    visible = scope_to_user(Membership.objects.all(), editor)

    assert sorted(m.user.username for m in visible) == sorted([editor.username, viewer.username])


def test_scope_to_user_keeps_everything_for_admins(admin_user, editor, outsider):
    visible = scope_to_user(Membership.objects.all(), admin_user)

    assert visible.count() == Membership.objects.count() == 2
