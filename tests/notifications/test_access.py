"""Who manages notifications (editors of the team and admins), through the pages and the API;
a hook's secret never shown; the Send test button on both."""

import pytest
from rest_framework.test import APIClient

from apps.accounts.models import AuditEntry
from apps.notifications import payloads
from apps.notifications.delivery import delivery_attempt
from apps.notifications.models import Destination, Rule
from tests.notifications.conftest import HOOK_SECRET

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def page(client, user):
    client.force_login(user)
    return client


def test_an_editor_adds_a_webhook_on_the_page_and_never_sees_its_secret_again(
    client, editor, webhook_server
):
    page(client, editor)
    response = client.post(
        "/notifications/destinations/new/",
        {
            "name": "Plant chat",
            "channel": "webhook",
            "url": webhook_server.url,
            "secret": HOOK_SECRET,
            "preset": "slack",
        },
    )

    destination = Destination.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/notifications/destinations/{destination.pk}/"
    assert destination.secret == HOOK_SECRET
    for url in ("/notifications/", response["Location"]):
        html = client.get(url).content.decode()
        assert "Plant chat" in html
        assert HOOK_SECRET not in html

    response = client.post(
        f"/notifications/destinations/{destination.pk}/",
        {
            "name": "Plant chat",
            "channel": "webhook",
            "url": webhook_server.url,
            "secret": "",
            "preset": "generic",
        },
    )
    destination.refresh_from_db()
    assert response.status_code == 302
    assert (destination.preset, destination.secret) == ("generic", HOOK_SECRET)


def test_the_send_test_button_delivers_and_the_log_shows_it(client, editor, hook, webhook_server):
    page(client, editor)
    webhook_server.answers = [503]

    response = client.post(f"/notifications/destinations/{hook.pk}/test/", follow=True)

    html = response.content.decode()
    assert "Test message not delivered: HTTP 503 answered" in html
    assert 'data-testid="delivery-log"' in html
    assert ">503<" in html
    response = client.post(f"/notifications/destinations/{hook.pk}/test/", follow=True)
    assert "Test message delivered to Plant chat." in response.content.decode()
    assert len(webhook_server.received) == 2
    assert HOOK_SECRET not in response.content.decode()


def test_an_editor_adds_a_rule_on_the_page(client, editor, hook, team):
    page(client, editor)
    response = client.post(
        "/notifications/rules/new/",
        {
            "name": "FAT failures",
            "trigger": "failure",
            "scope": "tag",
            "gateway_tag": "line-1",
            "destinations": [hook.pk],
            "enabled": "on",
        },
    )

    assert response.status_code == 302
    rule = Rule.objects.get()
    assert (rule.team, rule.scope, rule.gateway_tag) == (team, "tag", "line-1")
    assert list(rule.destinations.all()) == [hook]
    refused = client.post(
        "/notifications/rules/new/",
        {"name": "No scope", "trigger": "failure", "scope": "playbook", "destinations": [hook.pk]},
    )
    assert refused.status_code == 422
    assert "Choose the playbook this rule is about." in refused.content.decode()


def test_a_viewer_neither_sees_nor_changes_notifications(client, viewer, hook, make_rule):
    rule = make_rule(hook)
    page(client, viewer)

    listing = client.get("/notifications/").content.decode()
    assert "Plant chat" not in listing
    assert rule.name not in listing
    assert "Editors of a team (and admins) manage its notifications." in listing
    assert client.get(f"/notifications/destinations/{hook.pk}/").status_code == 404
    assert client.get(f"/notifications/rules/{rule.pk}/").status_code == 404
    assert client.post(f"/notifications/destinations/{hook.pk}/test/").status_code == 404
    assert client.get("/notifications/rules/new/").status_code == 403
    assert client.post("/notifications/destinations/new/", {"name": "x"}).status_code == 403

    viewer_api = api(viewer)
    assert viewer_api.get("/api/v1/notification-destinations/").json()["results"] == []
    assert viewer_api.get(f"/api/v1/notification-rules/{rule.pk}/").status_code == 404
    created = viewer_api.post(
        "/api/v1/notification-destinations/",
        {"name": "x", "channel": "email", "recipients": ["a@b.example"]},
        format="json",
    )
    assert created.status_code == 403


def test_the_notifications_link_shows_only_to_those_its_page_lets_in(
    client, viewer, operator, editor, admin_user
):
    def links(user) -> list[str]:
        page(client, user)
        return [item["label"] for item in client.get("/executions/").context["navigation"]]

    assert "Notifications" not in links(viewer)
    assert "Notifications" not in links(operator)
    assert "Notifications" in links(editor)
    assert "Notifications" in links(admin_user)
    page(client, viewer)
    assert client.get("/notifications/").status_code == 200


def test_another_teams_editor_gets_404_everywhere(client, outsider, hook, make_rule):
    rule = make_rule(hook)
    page(client, outsider)

    assert client.get(f"/notifications/destinations/{hook.pk}/").status_code == 404
    assert client.post(f"/notifications/destinations/{hook.pk}/delete/").status_code == 404
    assert client.post(f"/notifications/rules/{rule.pk}/", {"name": "x"}).status_code == 404
    theirs = api(outsider)
    assert theirs.get("/api/v1/notification-rules/").json()["results"] == []
    assert (
        theirs.patch(
            f"/api/v1/notification-destinations/{hook.pk}/", {"name": "x"}, format="json"
        ).status_code
        == 404
    )
    assert theirs.post(f"/api/v1/notification-destinations/{hook.pk}/test/").status_code == 404
    assert theirs.delete(f"/api/v1/notification-rules/{rule.pk}/").status_code == 404
    assert Rule.objects.filter(pk=rule.pk).exists()


def test_the_api_manages_destinations_and_rules_with_a_write_only_secret(
    editor, team, webhook_server
):
    client = api(editor)
    created = client.post(
        "/api/v1/notification-destinations/",
        {
            "name": "Teams channel",
            "channel": "webhook",
            "url": webhook_server.url,
            "secret": HOOK_SECRET,
            "preset": "teams",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    hook = created.json()
    assert hook["secret"] == "$encrypted$"
    rule = client.post(
        "/api/v1/notification-rules/",
        {"name": "Everything", "trigger": "any", "destinations": [hook["id"]]},
        format="json",
    )
    assert rule.status_code == 201, rule.json()
    assert rule.json()["destinations"] == [hook["id"]]

    tested = client.post(f"/api/v1/notification-destinations/{hook['id']}/test/")
    assert tested.status_code == 200
    assert (tested.json()["outcome"], tested.json()["status_code"]) == ("delivered", 200)
    log = client.get(f"/api/v1/notification-destinations/{hook['id']}/deliveries/")
    assert [row["test"] for row in log.json()] == [True]
    assert webhook_server.received[0].json()["@type"] == "MessageCard"

    patched = client.patch(
        f"/api/v1/notification-rules/{rule.json()['id']}/", {"enabled": False}, format="json"
    )
    assert patched.json()["enabled"] is False
    everything = b"".join(
        client.get(url).content
        for url in (
            "/api/v1/notification-destinations/",
            f"/api/v1/notification-destinations/{hook['id']}/",
        )
    )
    assert HOOK_SECRET.encode() not in everything
    bad = client.post(
        "/api/v1/notification-rules/",
        {"name": "Bad", "scope": "gateway", "destinations": [hook["id"]]},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["gateway"] == ["Choose the gateway this rule is about."]


def test_the_rule_page_shows_the_deliveries_it_caused(client, editor, hook, make_rule):
    rule = make_rule(hook)
    delivery_attempt(hook.pk, payloads.test_summary("Line 1"), rule_id=rule.pk)
    page(client, editor)

    html = client.get(f"/notifications/rules/{rule.pk}/").content.decode()

    assert 'data-testid="delivery-log"' in html
    assert "Delivered" in html
    assert "to Plant chat" in html


def test_admins_see_destinations_in_the_admin_without_the_secret(client, admin_user, hook):
    page(client, admin_user)

    for url in (
        "/admin/notifications/destination/",
        f"/admin/notifications/destination/{hook.pk}/change/",
        "/admin/notifications/rule/",
        "/admin/notifications/delivery/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert HOOK_SECRET not in response.content.decode()
    assert AuditEntry.objects.filter(action="notification_destination.create").exists()
    assert HOOK_SECRET not in repr(list(AuditEntry.objects.values()))
