import pytest

from apps.accounts.models import AuditEntry
from apps.credentials.models import Credential
from tests.credentials.fixtures import KNOWN_SECRET

pytestmark = pytest.mark.django_db

BASE = "/admin/credentials/credential/"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_changelist_and_search(admin_client, credential):
    response = admin_client.get(BASE, {"q": "line1"})

    assert response.status_code == 200
    assert b"line1-gateway" in response.content


def test_change_page_shows_the_placeholder_only(admin_client, credential):
    response = admin_client.get(f"{BASE}{credential.pk}/change/")

    assert response.status_code == 200
    assert b"$encrypted$" in response.content
    assert KNOWN_SECRET.encode() not in response.content


def test_add_goes_through_the_service(admin_client, admin_user, team):
    response = admin_client.post(
        f"{BASE}add/",
        {
            "team": team.pk,
            "name": "from-admin",
            "kind": "username_password",
            "username": "admin",
            "new_secret": KNOWN_SECRET,
            "gateway_url": "",
            "description": "",
        },
    )

    assert response.status_code == 302
    credential = Credential.objects.get()
    assert (credential.secret, credential.owner) == (KNOWN_SECRET, admin_user)
    assert AuditEntry.objects.get().action == "credential.create"


def test_add_needs_a_secret_and_valid_fields(admin_client, team):
    response = admin_client.post(
        f"{BASE}add/",
        {
            "team": team.pk,
            "name": "x",
            "kind": "username_password",
            "username": "",
            "new_secret": "",
        },
    )

    assert response.status_code == 200
    assert b"A new credential needs its secret." in response.content
    assert b"A username/password credential needs a username." in response.content
    assert Credential.objects.count() == 0


def test_change_with_an_empty_secret_keeps_it(admin_client, credential):
    response = admin_client.post(
        f"{BASE}{credential.pk}/change/",
        {
            "username": "root",
            "new_secret": "",
            "gateway_url": "",
            "description": "d",
            "shared": "on",
        },
    )

    assert response.status_code == 302
    credential.refresh_from_db()
    assert (credential.username, credential.secret, credential.description) == (
        "root",
        KNOWN_SECRET,
        "d",
    )
    assert AuditEntry.objects.get().details == {
        "fields": ["description", "username"],
        "secret_changed": False,
    }


def test_delete_goes_through_the_service(admin_client, credential):
    response = admin_client.post(f"{BASE}{credential.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert Credential.objects.count() == 0
    assert AuditEntry.objects.get().action == "credential.delete"


def test_bulk_delete(admin_client, credential):
    admin_client.post(
        BASE, {"action": "delete_selected", "_selected_action": [credential.pk], "post": "yes"}
    )

    assert Credential.objects.count() == 0


def test_staff_without_the_admin_role_cannot_change(client, editor, credential):
    editor.is_staff = True
    editor.save()
    client.force_login(editor)

    assert client.get(f"{BASE}{credential.pk}/change/").status_code == 403
