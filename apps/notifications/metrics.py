"""Notification deliveries as a Prometheus counter, counted from the delivery log when scraped.

Delivery rows stay when their rule or destination is deleted; when retention removes old rows,
what they counted is carried (``MetricCarry``) in the same transaction, so the counter never
goes down.
"""

from collections import Counter

from django.db.models import Count, QuerySet
from prometheus_client.core import CounterMetricFamily, Metric

from apps.executions.metrics import Totals, carried_totals
from apps.notifications.models import Channel, Delivery, Outcome

NAME = "portal_notification_deliveries"


def delivery_totals(deliveries: QuerySet) -> Totals:
    """The counter samples that ``deliveries`` contribute, every channel and outcome included."""
    totals: Totals = Counter()
    for channel in Channel.values:
        for outcome in Outcome.values:
            totals[_sample(channel, outcome)] = 0
    for row in deliveries.values("channel", "outcome").annotate(n=Count("pk")):
        totals[_sample(row["channel"], row["outcome"])] += row["n"]
    return totals


def _sample(channel: str, outcome: str) -> tuple:
    return (f"{NAME}_total", (("channel", channel), ("outcome", outcome)))


class DeliveryCollector:
    def collect(self) -> list[Metric]:
        counter = CounterMetricFamily(
            NAME,
            "Notification delivery attempts by channel and outcome (retrying: tried again later).",
            labels=["channel", "outcome"],
        )
        totals = delivery_totals(Delivery.objects.all())
        carried = carried_totals()
        for sample, number in totals.items():
            totals[sample] = number + carried.get(sample, 0)
        for (_, labels), number in sorted(totals.items()):
            counter.add_metric([value for _, value in labels], number)
        return [counter]
