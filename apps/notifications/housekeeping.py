"""The delivery log past ``NOTIFICATION_DELIVERY_RETENTION_DAYS``: what may go, and removing it
in batches, each in its own transaction with what its rows counted on ``/metrics`` carried."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from apps.accounts.services import audit_record
from apps.executions.metrics import totals_carry
from apps.notifications.metrics import delivery_totals
from apps.notifications.models import Delivery

BATCH = 1000


def deliveries_expired(*, now: datetime) -> dict[str, QuerySet]:
    """What may go, by a description of the kind (nothing when the setting is 0)."""
    days = settings.NOTIFICATION_DELIVERY_RETENTION_DAYS
    if not days:
        return {}
    old = Delivery.objects.filter(created_at__lt=now - timedelta(days=days))
    return {f"notification delivery log entries older than {days} days": old}


def deliveries_prune(*, now: datetime) -> dict[str, int]:
    """Delete them; how many went, with one audit entry by ``system`` when any did."""
    removed = {}
    for kind, queryset in deliveries_expired(now=now).items():
        count = 0
        while batch := list(queryset.order_by("pk").values_list("pk", flat=True)[:BATCH]):
            count += _remove(batch)
        if count:
            audit_record(
                None, "notification_delivery.purge", details={"deliveries": count, "rule": kind}
            )
        removed[kind] = count
    return removed


@transaction.atomic
def _remove(ids: list[int]) -> int:
    rows = Delivery.objects.filter(pk__in=ids)
    totals_carry(delivery_totals(rows))
    count, _ = rows.delete()
    return count
