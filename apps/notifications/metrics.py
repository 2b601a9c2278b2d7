"""Notification deliveries as a Prometheus counter, counted from the delivery log when scraped.

Delivery rows stay when their rule or destination is deleted, so the counter never goes down.
"""

from django.db.models import Count
from prometheus_client.core import CounterMetricFamily, Metric

from apps.notifications.models import Delivery, Outcome


class DeliveryCollector:
    def collect(self) -> list[Metric]:
        counter = CounterMetricFamily(
            "portal_notification_deliveries",
            "Notification delivery attempts by channel and outcome (retrying: tried again later).",
            labels=["channel", "outcome"],
        )
        counts = {
            (row["channel"], row["outcome"]): row["n"]
            for row in Delivery.objects.values("channel", "outcome").annotate(n=Count("pk"))
        }
        for channel in ("email", "webhook"):
            for outcome in Outcome.values:
                counter.add_metric([channel, outcome], counts.get((channel, outcome), 0))
        return [counter]
