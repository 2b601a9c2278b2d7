"""The delivery log's retention: old attempts go with the run history's clean-up, exactly as
the dry run counted, with an audit entry, and the deliveries counter of /metrics keeps its value."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from apps.accounts.models import AuditEntry
from apps.executions.tasks import apply_retention
from apps.notifications.models import Delivery

pytestmark = pytest.mark.django_db
TOKEN = "scrape-token-0123456789"


@pytest.fixture
def log(settings, mailbox, hook):
    """Deliveries of 120, 100, 95 and 10 days ago and of now; 90 days are kept."""
    settings.NOTIFICATION_DELIVERY_RETENTION_DAYS = 90
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = TOKEN, []
    rows = []
    for days, destination, outcome in (
        (120, hook, "failed"),
        (100, hook, "delivered"),
        (95, mailbox, "delivered"),
        (10, hook, "delivered"),
        (0, mailbox, "retrying"),
    ):
        row = Delivery.objects.create(
            destination=destination, channel=destination.channel, outcome=outcome
        )
        Delivery.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(days=days))
        rows.append(row)
    return rows


def purge(*args) -> str:
    out = io.StringIO()
    call_command("purge_history", *args, stdout=out)
    return out.getvalue()


def counts(client) -> dict:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    families = text_string_to_metric_families(response.content.decode())
    family = next(f for f in families if f.name == "portal_notification_deliveries")
    return {
        (s.labels["channel"], s.labels["outcome"]): s.value
        for s in family.samples
        if s.name.endswith("_total")
    }


def test_old_deliveries_go_exactly_as_the_dry_run_counted(log):
    dry_text = purge("--dry-run")

    assert "Would remove 3 notification delivery log entries older than 90 days." in dry_text
    assert Delivery.objects.count() == 5

    text = purge()

    assert "Removed 3 notification delivery log entries older than 90 days." in text
    assert set(Delivery.objects.all()) == set(log[3:])
    entry = AuditEntry.objects.get(action="notification_delivery.purge")
    assert (entry.actor_name, entry.details["deliveries"]) == ("system", 3)


def test_the_counter_does_not_go_down_after_a_purge(client, log):
    before = counts(client)

    apply_retention()
    after = counts(client)
    Delivery.objects.create(channel="webhook", outcome="delivered")

    assert Delivery.objects.count() == 3
    assert before[("webhook", "delivered")] == 2
    assert before[("webhook", "failed")] == before[("email", "delivered")] == 1
    assert after == before
    assert counts(client)[("webhook", "delivered")] == 3


def test_zero_days_keeps_the_log(settings, log):
    settings.NOTIFICATION_DELIVERY_RETENTION_DAYS = 0

    text = purge()

    assert "notification delivery" not in text
    assert Delivery.objects.count() == 5
