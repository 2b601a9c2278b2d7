"""Delivering notifications: which destinations a run's end goes to, and each attempt logged.

A failed notification never fails the run: every problem is a row of the delivery log and a
log line naming the destination (never its secret).
"""

import logging
from typing import Any

from django.conf import settings

from apps.accounts.models import User
from apps.accounts.services import audit_record
from apps.executions.models import Execution
from apps.notifications import payloads, sending
from apps.notifications.models import Delivery, Destination, Outcome, Rule
from apps.notifications.selectors import rules_matching
from apps.notifications.services import require_notifier

logger = logging.getLogger(__name__)


def run_deliveries(execution_id) -> tuple[dict[str, Any] | None, list[tuple[int, int]]]:
    """The summary of a finished run and the (destination id, rule id) pairs to send it to,
    each destination once however many of its rules the run meets."""
    execution = Execution.objects.select_related("team", "gateway").filter(pk=execution_id).first()
    if execution is None or not execution.is_finished:
        return None, []
    chosen: dict[int, int] = {}
    for rule in rules_matching(execution):
        for destination in rule.destinations.all():
            chosen.setdefault(destination.pk, rule.pk)
    if not chosen:
        return None, []
    return payloads.run_summary(execution), list(chosen.items())


def delivery_attempt(
    destination_id: int,
    summary: dict[str, Any],
    *,
    rule_id: int | None = None,
    attempt: int = 1,
) -> bool:
    """Send once and log the attempt; ``True`` when it failed and another attempt may help."""
    destination = Destination.objects.filter(pk=destination_id).first()
    if destination is None:
        return False
    can_retry = attempt <= settings.NOTIFICATION_MAX_RETRIES
    delivery = _record(destination, summary, rule_id=rule_id, attempt=attempt, can_retry=can_retry)
    return delivery.outcome == Outcome.RETRYING


def destination_send_test(destination: Destination, *, actor: User) -> Delivery:
    """Send a test message now, once (no retries): its logged attempt tells how it went."""
    require_notifier(actor, destination.team)
    summary = payloads.test_summary(destination.team.name)
    delivery = _record(destination, summary, rule_id=None, attempt=1, can_retry=False)
    audit_record(
        actor,
        "notification_destination.test",
        target=destination,
        details={"outcome": delivery.outcome, "status_code": delivery.status_code},
    )
    return delivery


def _record(
    destination: Destination,
    summary: dict[str, Any],
    *,
    rule_id: int | None,
    attempt: int,
    can_retry: bool,
) -> Delivery:
    sent = sending.send(destination, summary)
    if sent.delivered:
        outcome = Outcome.DELIVERED
    else:
        outcome = Outcome.RETRYING if sent.retryable and can_retry else Outcome.FAILED
        logger.warning(
            "Notification to %s (destination %s, attempt %s) failed: %s",
            destination.name,
            destination.pk,
            attempt,
            sent.error,
        )
    execution_id = summary.get("run_id")
    return Delivery.objects.create(
        destination=destination,
        rule=Rule.objects.filter(pk=rule_id).first() if rule_id else None,
        execution=Execution.objects.filter(pk=execution_id).first() if execution_id else None,
        channel=destination.channel,
        test=summary["event"] == "test",
        attempt=attempt,
        outcome=outcome,
        status_code=sent.status_code,
        error=sent.error[:2000],
        duration_ms=sent.duration_ms,
    )
