import pytest

from apps.accounts.models import AuditEntry
from apps.gateways.models import Gateway
from tests.gateways.factories import GatewayFactory

pytestmark = pytest.mark.django_db

BASE = "/admin/gateways/gateway/"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _form(team, **values):
    return {
        "team": team.pk,
        "name": "gw",
        "base_url": "http://gw:8088",
        "version": "8.3",
        "default_credential": "",
        "tags": "[]",
        "description": "",
        **values,
    }


def test_changelist(admin_client, team):
    GatewayFactory(team=team, name="Plant gateway")

    response = admin_client.get(BASE, {"q": "plant"})

    assert b"Plant gateway" in response.content


def test_add_change_delete_go_through_services(admin_client, team):
    added = admin_client.post(f"{BASE}add/", _form(team))
    gateway = Gateway.objects.get()
    changed = admin_client.post(f"{BASE}{gateway.pk}/change/", _form(team, version="8.1"))
    gateway.refresh_from_db()
    version = gateway.version
    deleted = admin_client.post(f"{BASE}{gateway.pk}/delete/", {"post": "yes"})

    assert (added.status_code, changed.status_code, deleted.status_code) == (302, 302, 302)
    assert version == "8.1"
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "gateway.create",
        "gateway.update",
        "gateway.delete",
    ]


def test_bad_url_is_a_form_error(admin_client, team):
    response = admin_client.post(f"{BASE}add/", _form(team, base_url="gw"))

    assert b"is not a gateway URL" in response.content
    assert Gateway.objects.count() == 0


def test_bulk_delete(admin_client, team):
    gateway = GatewayFactory(team=team)

    admin_client.post(
        BASE, {"action": "delete_selected", "_selected_action": [gateway.pk], "post": "yes"}
    )

    assert Gateway.objects.count() == 0


def test_staff_without_the_admin_role_cannot_add(client, editor):
    editor.is_staff = True
    editor.save()
    client.force_login(editor)

    assert client.get(f"{BASE}add/").status_code == 403
