"""The run's end notifies: through the real engine on a real worker, without ever failing the
run when the broker is down; and the deliveries counter of /metrics."""

import time

import pytest
from kombu.exceptions import OperationalError
from prometheus_client.parser import text_string_to_metric_families

from apps.executions.services.launch import execution_start
from apps.notifications import dispatch
from apps.notifications.delivery import destination_send_test
from apps.notifications.models import Delivery
from apps.notifications.tasks import run_finished
from tests.executions.factories import HELLO_STEP, playbook
from tests.notifications.conftest import HOOK_SECRET
from tests.notifications.test_delivery import verify

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
TOKEN = "scrape-token-0123456789"


def wait_for_delivery(timeout: float = 20) -> Delivery:
    """The worker logs the attempt just after the server answered it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        delivery = Delivery.objects.first()
        if delivery is not None:
            return delivery
        time.sleep(0.05)
    raise AssertionError("the delivery was not logged")


def test_a_run_on_a_worker_notifies_the_webhook_when_it_ends(
    team, operator, hook, make_rule, webhook_server, celery_worker_running
):
    make_rule(hook, trigger="success")
    book = playbook(team, HELLO_STEP, name="Nightly backup")

    execution = execution_start(book, actor=operator)

    assert webhook_server.arrived.wait(60), "no webhook arrived"
    [received] = webhook_server.received
    verify(received)
    assert received.json()["run_id"] == str(execution.pk)
    assert received.json()["status"] == "completed"
    assert HOOK_SECRET not in received.body.decode()
    delivery = wait_for_delivery()
    assert (delivery.execution_id, delivery.outcome) == (execution.pk, "delivered")


def test_a_broker_outage_at_the_run_end_is_logged_and_the_run_still_ends(
    team, hook, make_rule, run_in_process, monkeypatch, caplog
):
    make_rule(hook, trigger="any")

    def unreachable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(run_finished, "apply_async", unreachable)
    try:
        execution = run_in_process(playbook(team, HELLO_STEP)).wait()
    finally:
        dispatch._broker.succeeded()

    assert execution.status == "completed"
    assert "Broker (Redis) for notifications unavailable: OperationalError" in caplog.text
    assert not Delivery.objects.exists()


def test_the_deliveries_counter_moves_with_deliveries(
    client, settings, editor, hook, mailbox, webhook_server
):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = TOKEN, []

    def counts():
        response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        families = text_string_to_metric_families(response.content.decode())
        family = next(f for f in families if f.name == "portal_notification_deliveries")
        return {
            (s.labels["channel"], s.labels["outcome"]): s.value
            for s in family.samples
            if s.name.endswith("_total")
        }

    before = counts()
    webhook_server.answers = [500]
    destination_send_test(hook, actor=editor)
    destination_send_test(hook, actor=editor)
    destination_send_test(mailbox, actor=editor)
    hook.delete()

    after = counts()
    assert before[("webhook", "delivered")] == 0
    assert after[("webhook", "delivered")] == 1
    assert after[("webhook", "failed")] == 1
    assert after[("email", "delivered")] == 1
