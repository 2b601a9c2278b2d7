"""Changes made in the Django admin to users, teams, memberships and roles go through the
audited services: each leaves an audit entry naming the admin and what changed, and a staff
user without the permission can do none of them."""

import pytest
from django.contrib.auth.models import Permission

from apps.accounts.models import AuditEntry, Membership, Team, User
from apps.accounts.roles import Role
from apps.accounts.services import role_group
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Gateway-Admin-2931!"


@pytest.fixture
def root(db):
    return UserFactory(username="rita-root", is_staff=True, is_superuser=True)


@pytest.fixture
def root_client(client, root):
    client.force_login(root)
    return client


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def memberships(user, *teams) -> dict:
    """The inline's management form plus one row per existing membership, then ``teams``."""
    rows = list(Membership.objects.filter(user=user).order_by("pk")) if user else []
    data = {
        "membership_set-TOTAL_FORMS": str(len(rows) + len(teams)),
        "membership_set-INITIAL_FORMS": str(len(rows)),
    }
    for index, row in enumerate(rows):
        data |= {f"membership_set-{index}-id": row.pk, f"membership_set-{index}-team": row.team_id}
        data[f"membership_set-{index}-user"] = row.user_id
    for index, team in enumerate(teams, start=len(rows)):
        data[f"membership_set-{index}-team"] = team.pk
    return data


def user_form(user, **overrides) -> dict:
    """The change form of ``user`` as the admin page posts it, with ``overrides``."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "groups": [group.pk for group in user.groups.all()],
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        **memberships(user),
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value != ""}


def test_creating_a_user_is_audited(root_client, root, team):
    data = {"username": "nina-new", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    data |= {"usable_password": "true", **memberships(None, team)}

    response = root_client.post("/admin/accounts/user/add/", data)

    user = User.objects.get(username="nina-new")
    assert response.status_code == 302
    assert user.check_password(NEW_PASSWORD)
    [created] = entries("user.create")
    assert (created.actor, created.object_id) == (root, str(user.pk))
    assert created.details == {"roles": [], "is_staff": False, "is_superuser": False}
    [joined] = entries("team.add_member")
    assert (joined.actor, joined.object_id, joined.details) == (
        root,
        str(team.pk),
        {"user": "nina-new"},
    )
    assert NEW_PASSWORD not in str(list(AuditEntry.objects.values()))


def test_changing_flags_and_roles_is_audited(root_client, root, editor):
    data = user_form(editor, is_staff="on", is_superuser="on", is_active="")
    data["groups"] = [role_group("operator").pk]

    response = root_client.post(f"/admin/accounts/user/{editor.pk}/change/", data)

    editor.refresh_from_db()
    assert response.status_code == 302
    assert (editor.is_staff, editor.is_superuser, editor.is_active) == (True, True, False)
    [updated] = entries("user.update")
    assert (updated.actor, updated.object_id) == (root, str(editor.pk))
    assert updated.details == {
        "fields": ["is_active", "is_staff", "is_superuser"],
        "is_active": False,
        "is_staff": True,
        "is_superuser": True,
        "groups_added": ["operator"],
        "groups_removed": ["editor"],
    }


def test_memberships_added_and_removed_are_audited(root_client, root, editor, team, other_team):
    data = user_form(editor) | memberships(editor, other_team)
    data["membership_set-0-DELETE"] = "on"

    response = root_client.post(f"/admin/accounts/user/{editor.pk}/change/", data)

    assert response.status_code == 302
    assert list(editor.teams.all()) == [other_team]
    [removed] = entries("team.remove_member")
    [added] = entries("team.add_member")
    assert (removed.actor, removed.object_id, removed.details) == (
        root,
        str(team.pk),
        {"user": editor.username},
    )
    assert (added.actor, added.object_id) == (root, str(other_team.pk))
    assert entries("user.update") == []


def test_password_changes_are_audited_without_the_password(root_client, root, editor):
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}

    response = root_client.post(f"/admin/accounts/user/{editor.pk}/password/", data)

    editor.refresh_from_db()
    assert response.status_code == 302
    assert editor.check_password(NEW_PASSWORD)
    [changed] = entries("user.set_password")
    assert (changed.actor, changed.object_id, changed.details) == (
        root,
        str(editor.pk),
        {"usable": True},
    )
    assert NEW_PASSWORD not in str(list(AuditEntry.objects.values()))


def test_deleting_users_one_or_several_is_audited(root_client, root, editor, viewer, operator):
    one = root_client.post(f"/admin/accounts/user/{editor.pk}/delete/", {"post": "yes"})
    several = root_client.post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [viewer.pk, operator.pk], "post": "yes"},
    )

    assert (one.status_code, several.status_code) == (302, 302)
    assert not User.objects.filter(pk__in=[editor.pk, viewer.pk, operator.pk]).exists()
    deleted = entries("user.delete")
    assert sorted(entry.details["username"] for entry in deleted) == sorted(
        [editor.username, viewer.username, operator.username]
    )
    assert {entry.actor for entry in deleted} == {root}


def test_team_create_rename_and_delete_are_audited(root_client, root):
    root_client.post("/admin/accounts/team/add/", {"name": "Line 9", "description": "Packing"})
    team = Team.objects.get(name="Line 9")
    root_client.post(
        f"/admin/accounts/team/{team.pk}/change/", {"name": "Line 10", "description": "Packing"}
    )
    root_client.post(f"/admin/accounts/team/{team.pk}/delete/", {"post": "yes"})

    assert not Team.objects.filter(pk=team.pk).exists()
    [created], [renamed], [deleted] = (
        entries("team.create"),
        entries("team.update"),
        entries("team.delete"),
    )
    assert {created.actor, renamed.actor, deleted.actor} == {root}
    assert renamed.details == {"name": ["Line 9", "Line 10"]}
    assert deleted.details == {"name": "Line 10"}


def test_a_duplicate_team_name_is_refused_and_changes_nothing(root_client, team, other_team):
    response = root_client.post(
        f"/admin/accounts/team/{other_team.pk}/change/", {"name": "line 1", "description": ""}
    )

    other_team.refresh_from_db()
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert other_team.name == "Line 2"
    assert entries("team.update") == []


@pytest.fixture
def staff_client(client):
    staff = UserFactory(username="sam-staff", is_staff=True)
    client.force_login(staff)
    client.staff = staff
    return client


def test_staff_without_permission_change_nothing(staff_client, editor, team):
    staff = staff_client.staff
    attempts = [
        (
            "/admin/accounts/user/add/",
            {"username": "x", "usable_password": "false", **memberships(None)},
        ),
        (f"/admin/accounts/user/{staff.pk}/change/", user_form(staff, is_superuser="on")),
        (
            f"/admin/accounts/user/{editor.pk}/password/",
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        ),
        (f"/admin/accounts/user/{editor.pk}/delete/", {"post": "yes"}),
        ("/admin/accounts/team/add/", {"name": "Rogue"}),
        (f"/admin/accounts/team/{team.pk}/change/", {"name": "Renamed"}),
        (f"/admin/accounts/team/{team.pk}/delete/", {"post": "yes"}),
    ]

    statuses = [staff_client.post(url, data).status_code for url, data in attempts]

    staff.refresh_from_db()
    editor.refresh_from_db()
    team.refresh_from_db()
    assert statuses == [403] * len(attempts)
    assert (staff.is_superuser, team.name, editor.check_password(PASSWORD)) == (
        False,
        "Line 1",
        True,
    )
    assert not User.objects.filter(username="x").exists()
    assert AuditEntry.objects.count() == 0


def test_staff_allowed_to_change_users_cannot_make_superusers(staff_client, editor):
    staff = staff_client.staff
    staff.user_permissions.add(Permission.objects.get(codename="change_user"))
    data = user_form(staff, is_superuser="on")
    data["user_permissions"] = [Permission.objects.get(codename="delete_user").pk]

    response = staff_client.post(f"/admin/accounts/user/{staff.pk}/change/", data)

    staff.refresh_from_db()
    assert response.status_code == 302
    assert staff.is_superuser is False
    assert list(staff.user_permissions.values_list("codename", flat=True)) == ["change_user"]
    assert entries("user.update") == []


def test_staff_allowed_to_change_users_cannot_give_the_admin_role(staff_client):
    staff = staff_client.staff
    staff.user_permissions.add(Permission.objects.get(codename="change_user"))
    data = user_form(staff)
    data["groups"] = [role_group(Role.ADMIN).pk]

    response = staff_client.post(f"/admin/accounts/user/{staff.pk}/change/", data)

    assert response.status_code == 200  # the form again, with the refusal
    assert not staff.groups.filter(name=Role.ADMIN).exists()
    assert entries("user.update") == []
