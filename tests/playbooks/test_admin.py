import pytest

from apps.accounts.models import AuditEntry
from apps.playbooks.models import Playbook, Preset
from tests.playbooks.factories import PresetFactory

pytestmark = pytest.mark.django_db

BASE = "/admin/playbooks/playbook/"
PRESETS = "/admin/playbooks/preset/"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_changelist_filters_and_detail(admin_client, playbook):
    listed = admin_client.get(BASE, {"origin__exact": "user", "q": "check"})
    detail = admin_client.get(f"{BASE}{playbook.pk}/change/")

    assert b"gateway/check_gateway.yaml" in listed.content
    assert detail.status_code == 200
    assert admin_client.get(f"{BASE}add/").status_code == 403


@pytest.mark.parametrize(
    ("action", "field", "value", "audit"),
    [
        ("verify", "verified", True, "playbook.verify"),
        ("unverify", "verified", False, "playbook.unverify"),
        ("enable", "enabled", True, "playbook.enable"),
        ("disable", "enabled", False, "playbook.disable"),
    ],
)
def test_actions_go_through_services(admin_client, playbook, action, field, value, audit):
    response = admin_client.post(BASE, {"action": action, "_selected_action": [playbook.pk]})

    assert response.status_code == 302
    playbook.refresh_from_db()
    assert getattr(playbook, field) is value
    assert AuditEntry.objects.get().action == audit


def test_action_errors_are_shown(admin_client, playbook, monkeypatch):
    from apps.core.errors import ApplicationError
    from apps.playbooks import admin as playbook_admin

    def refuse(playbook, *, actor, verified):
        raise ApplicationError("Nope.")

    monkeypatch.setattr(playbook_admin, "playbook_set_verified", refuse)

    response = admin_client.post(
        BASE, {"action": "verify", "_selected_action": [playbook.pk]}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == ["Nope.", "0 playbook(s) verified."]


def test_builtins_cannot_be_deleted(admin_client, builtin_playbook, playbook):
    refused = admin_client.get(f"{BASE}{builtin_playbook.pk}/delete/")
    admin_client.post(
        BASE,
        {
            "action": "delete_selected",
            "_selected_action": [builtin_playbook.pk, playbook.pk],
            "post": "yes",
        },
    )

    assert refused.status_code == 403
    assert set(Playbook.objects.all()) == {builtin_playbook, playbook}


def test_delete_user_playbooks(admin_client, team, playbook):
    from tests.playbooks.factories import PlaybookFactory

    other = PlaybookFactory(team=team)

    admin_client.post(f"{BASE}{playbook.pk}/delete/", {"post": "yes"})
    admin_client.post(
        BASE, {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"}
    )

    assert Playbook.objects.count() == 0


def test_presets_change_and_delete(admin_client, playbook, operator):
    preset = PresetFactory(playbook=playbook, owner=operator, name="p")

    listed = admin_client.get(PRESETS, {"q": "p"})
    changed = admin_client.post(
        f"{PRESETS}{preset.pk}/change/", {"name": "q", "values": '{"retries": 4}', "shared": "on"}
    )
    preset.refresh_from_db()
    values = (preset.name, preset.values)
    admin_client.post(f"{PRESETS}{preset.pk}/delete/", {"post": "yes"})
    other = PresetFactory(playbook=playbook, owner=operator)
    admin_client.post(
        PRESETS, {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"}
    )

    assert listed.status_code == 200
    assert changed.status_code == 302
    assert values == ("q", {"retries": 4})
    assert Preset.objects.count() == 0
    assert admin_client.get(f"{PRESETS}add/").status_code == 403
