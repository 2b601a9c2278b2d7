import pytest

from apps.accounts.models import AuditEntry
from apps.accounts.services import audit_record

pytestmark = pytest.mark.django_db


def test_audit_log_is_readable_but_not_editable(client, admin_user, team):
    admin_user.is_superuser = True
    admin_user.save(update_fields=["is_superuser"])
    entry = audit_record(admin_user, "team.create", target=team)
    client.force_login(admin_user)

    listing = client.get("/admin/accounts/auditentry/")
    detail = client.get(f"/admin/accounts/auditentry/{entry.pk}/change/")
    add = client.get("/admin/accounts/auditentry/add/")
    delete = client.post(f"/admin/accounts/auditentry/{entry.pk}/delete/", {"post": "yes"})

    assert listing.status_code == 200
    assert "alice-admin team.create accounts.Team Line 1" in str(entry)
    assert "team.create" in listing.content.decode()
    assert detail.status_code == 200
    assert b'type="submit" value="Save"' not in detail.content
    assert (add.status_code, delete.status_code) == (403, 403)
    assert AuditEntry.objects.count() == 1


def test_users_page_shows_team_memberships(client, admin_user, editor):
    admin_user.is_superuser = True
    admin_user.save(update_fields=["is_superuser"])
    client.force_login(admin_user)

    response = client.get(f"/admin/accounts/user/{editor.pk}/change/")

    assert response.status_code == 200
    assert "Line 1" in response.content.decode()
