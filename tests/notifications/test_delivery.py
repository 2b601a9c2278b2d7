"""Delivering notifications: a signed webhook to a real HTTP server, retries with backoff and
their delivery log, presets, email to Django's outbox, and no secret anywhere on the way."""

import hashlib
import hmac
import logging

import pytest
from django.core import mail

from apps.notifications import payloads
from apps.notifications.delivery import delivery_attempt, destination_send_test
from apps.notifications.models import Delivery
from apps.notifications.sending import signature
from apps.notifications.tasks import backoff_seconds, deliver, run_finished
from tests.credentials.factories import SECRET, CredentialFactory
from tests.executions.factories import playbook
from tests.gateways.factories import GatewayFactory
from tests.notifications.conftest import HOOK_SECRET

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LEAKY_FAILURE = """
    - id: leak
      name: Leak
      type: utility.log
      parameters: {message: "password is {{ credential.plant-admin.password }}"}
    - id: broken
      name: Wait for the tag
      type: utility.sleep
      timeout: 0.05
      parameters: {seconds: 5}
"""


def verify(received, secret: str = HOOK_SECRET) -> None:
    """What a receiver does: recompute the HMAC over the raw body and compare."""
    expected = hmac.new(secret.encode(), received.body, hashlib.sha256).hexdigest()
    given = received.headers["X-Portal-Signature"]
    assert given.startswith("sha256=")
    assert hmac.compare_digest(given.removeprefix("sha256="), expected)


@pytest.fixture
def failed_run(team, run_in_process):
    CredentialFactory(team=team, name="plant-admin")
    gateway = GatewayFactory(team=team, name="Line 1 gateway", tags=["line-1"])
    book = playbook(team, LEAKY_FAILURE, name="Nightly FAT")
    return run_in_process(book, gateway=gateway).wait()


def test_a_failed_run_reaches_the_webhook_signed_with_its_facts_and_no_secret(
    failed_run, hook, make_rule, webhook_server, caplog, eager_tasks
):
    make_rule(hook, trigger="failure")
    caplog.set_level(logging.DEBUG)

    assert run_finished.apply(args=[str(failed_run.pk)]).get() == 1

    [received] = webhook_server.received
    verify(received)
    assert received.headers["Content-Type"] == "application/json"
    assert received.headers["X-Portal-Event"] == "run.finished"
    body = received.json()
    assert body["run_id"] == str(failed_run.pk)
    assert (body["playbook"], body["gateway"], body["status"]) == (
        "Nightly FAT",
        "Line 1 gateway",
        "failed",
    )
    assert body["failed_step"]["name"] == "Wait for the tag"
    assert body["failed_step"]["error"]
    assert body["duration_seconds"] >= 0
    assert body["url"] == f"http://localhost:8000/executions/{failed_run.pk}/"
    for text in (received.body.decode(), caplog.text):
        assert SECRET not in text
        assert HOOK_SECRET not in text
    [delivery] = Delivery.objects.all()
    assert (delivery.outcome, delivery.status_code, delivery.attempt) == ("delivered", 200, 1)
    assert delivery.execution_id == failed_run.pk


def test_a_500_is_retried_and_both_attempts_are_in_the_delivery_log(
    hook, make_rule, webhook_server, caplog
):
    rule = make_rule(hook)
    webhook_server.answers = [500]
    summary = payloads.test_summary("Line 1")

    deliver.apply(args=[hook.pk, summary], kwargs={"rule_id": rule.pk})

    assert len(webhook_server.received) == 2
    for received in webhook_server.received:
        verify(received)
    attempts = Delivery.objects.order_by("attempt")
    log = list(attempts.values_list("attempt", "outcome", "status_code"))
    assert log == [(1, "retrying", 500), (2, "delivered", 200)]
    assert Delivery.objects.filter(rule=rule, destination=hook).count() == 2
    assert "attempt 1) failed: HTTP 500 answered" in caplog.text
    assert HOOK_SECRET not in caplog.text


def test_a_client_error_is_not_retried(hook, webhook_server):
    webhook_server.answers = [404]

    deliver.apply(args=[hook.pk, payloads.test_summary("Line 1")])

    assert len(webhook_server.received) == 1
    assert list(Delivery.objects.values_list("outcome", "status_code")) == [("failed", 404)]


def test_an_unreachable_hook_is_retried_until_the_limit_then_failed(hook, settings):
    settings.NOTIFICATION_MAX_RETRIES = 2
    hook.url = "http://127.0.0.1:9/closed"
    hook.save()

    deliver.apply(args=[hook.pk, payloads.test_summary("Line 1")])

    log = list(Delivery.objects.order_by("attempt").values_list("attempt", "outcome"))
    assert log == [(1, "retrying"), (2, "retrying"), (3, "failed")]
    errors = Delivery.objects.values_list("error", flat=True)
    assert all("ConnectError" in error for error in errors)


def test_backoff_doubles_and_is_capped(settings):
    settings.NOTIFICATION_RETRY_SECONDS = 10
    assert [backoff_seconds(attempt) for attempt in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert backoff_seconds(20) == 600


def test_slack_and_teams_presets(hook, webhook_server):
    summary = payloads.test_summary("Line 1")
    for preset in ("slack", "teams"):
        hook.preset = preset
        hook.save()
        assert delivery_attempt(hook.pk, summary) is False

    slack, teams = (received.json() for received in webhook_server.received)
    assert set(slack) == {"text"}
    assert "Test notification" in slack["text"]
    assert teams["@type"] == "MessageCard"
    assert teams["potentialAction"][0]["targets"][0]["uri"] == "http://localhost:8000/"
    for received in webhook_server.received:
        verify(received)


def test_an_email_lands_in_the_outbox(failed_run, mailbox, make_rule, eager_tasks):
    make_rule(mailbox, trigger="any")

    run_finished.apply(args=[str(failed_run.pk)])

    [message] = mail.outbox
    assert message.to == ["controls@plant.example", "night-shift@plant.example"]
    assert message.subject == "[Ignition Automation Portal] Nightly FAT failed on Line 1 gateway"
    assert "Failed step: Wait for the tag" in message.body
    assert f"/executions/{failed_run.pk}/" in message.body
    assert SECRET not in message.body
    assert list(Delivery.objects.values_list("channel", "outcome")) == [("email", "delivered")]


def test_the_test_button_sends_a_test_payload(hook, editor, webhook_server):
    delivery = destination_send_test(hook, actor=editor)

    assert (delivery.outcome, delivery.test, delivery.status_code) == ("delivered", True, 200)
    [received] = webhook_server.received
    verify(received)
    assert received.json()["event"] == "test"
    assert received.headers["X-Portal-Event"] == "test"


def test_the_signature_is_hmac_sha256_of_the_raw_body():
    body = b'{"a": 1}'
    expected = hmac.new(b"k" * 16, body, hashlib.sha256).hexdigest()
    assert signature("k" * 16, body) == f"sha256={expected}"
