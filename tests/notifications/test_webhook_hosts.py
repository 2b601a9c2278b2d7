"""NOTIFICATION_WEBHOOK_ALLOWED_HOSTS: where set, a webhook may only name those hosts, when it is
saved and again when a message goes (the setting may have changed since)."""

import pytest

from apps.notifications import payloads
from apps.notifications.models import Delivery, Destination
from apps.notifications.services import NotificationInvalidError, destination_create
from apps.notifications.tasks import deliver
from tests.notifications.conftest import HOOK_SECRET

pytestmark = pytest.mark.django_db
ALLOWED = ["hooks.slack.com", "*.chat.example", "127.0.0.1"]


def create(team, editor, url: str) -> Destination:
    return destination_create(
        team=team, actor=editor, name="Hook", channel="webhook", url=url, secret=HOOK_SECRET
    )


@pytest.mark.parametrize(
    "url",
    ["http://169.254.169.254/latest/meta-data/", "https://chat.example/x", "https://evil.com/"],
)
def test_a_host_outside_the_list_is_refused_naming_the_setting(team, editor, settings, url):
    settings.NOTIFICATION_WEBHOOK_ALLOWED_HOSTS = ALLOWED

    with pytest.raises(NotificationInvalidError) as refused:
        create(team, editor, url)

    (problem,) = refused.value.errors["url"]
    assert "NOTIFICATION_WEBHOOK_ALLOWED_HOSTS" in problem
    assert "hooks.slack.com, *.chat.example, 127.0.0.1" in problem
    assert not Destination.objects.exists()


@pytest.mark.parametrize(
    "url", ["https://hooks.slack.com/services/T0/B0/x", "https://teams.chat.example/hook"]
)
def test_a_listed_host_or_a_subdomain_of_a_wildcard_is_saved(team, editor, settings, url):
    settings.NOTIFICATION_WEBHOOK_ALLOWED_HOSTS = ALLOWED

    assert create(team, editor, url).url == url


def test_without_the_setting_any_host_is_saved(team, editor, settings):
    settings.NOTIFICATION_WEBHOOK_ALLOWED_HOSTS = []

    assert create(team, editor, "http://10.1.2.3/hook").url == "http://10.1.2.3/hook"


def test_a_hook_saved_before_the_list_changed_is_not_sent_and_the_log_says_why(
    hook, webhook_server, settings
):
    settings.NOTIFICATION_WEBHOOK_ALLOWED_HOSTS = ["hooks.slack.com"]

    deliver.apply(args=[hook.pk, payloads.test_summary("Line 1")])

    assert webhook_server.received == []
    (attempt,) = Delivery.objects.all()
    assert attempt.outcome == "failed"
    assert "127.0.0.1 is not among the hosts" in attempt.error
