"""/metrics: Prometheus text computed at scrape time from the database and Redis, closed unless
a token or an address list opens it."""

from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from apps.core.metrics import workers_alive
from apps.executions.models import Execution
from apps.executions.services.history import execution_delete
from apps.executions.services.launch import execution_start
from tests.executions.factories import playbook
from toolkit_project.celery import app as celery_app
from toolkit_project.version import portal_version

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TOKEN = "scrape-token-0123456789"
FAILING = """
    - id: hello
      name: Hello
      type: utility.log
      parameters: {message: hi}
    - id: broken
      name: Broken
      type: utility.sleep
      timeout: 0.05
      parameters: {seconds: 5}
"""


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def open_metrics(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = []


def test_closed_without_a_token_or_an_address_list(client, settings):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = "", []

    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_a_missing_or_wrong_token_is_refused(client, open_metrics):
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 401
    assert wrong["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert b"portal_" not in wrong.content


def test_the_address_list_uses_the_client_address(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/24"]
    settings.TRUSTED_PROXIES = ["192.0.2.1"]

    inside = client.get("/metrics", REMOTE_ADDR="10.0.0.7")
    outside = client.get("/metrics", REMOTE_ADDR="10.0.1.7")
    claimed = client.get("/metrics", REMOTE_ADDR="10.0.1.7", HTTP_X_FORWARDED_FOR="10.0.0.7")
    proxied = client.get("/metrics", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="10.0.0.7")

    assert (inside.status_code, outside.status_code) == (200, 403)
    assert (claimed.status_code, proxied.status_code) == (403, 200)


def test_token_and_address_list_together_need_both(client, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/24"]
    bearer = f"Bearer {TOKEN}"

    assert client.get("/metrics", REMOTE_ADDR="10.0.0.7").status_code == 401
    assert (
        client.get("/metrics", REMOTE_ADDR="10.9.0.7", HTTP_AUTHORIZATION=bearer).status_code == 403
    )
    assert (
        client.get("/metrics", REMOTE_ADDR="10.0.0.7", HTTP_AUTHORIZATION=bearer).status_code == 200
    )


def test_counters_move_with_runs_and_survive_deleting_them(
    client, open_metrics, team, operator, run_in_process
):
    before = scrape(client)
    book = playbook(team, FAILING, name="Nightly backup")
    labels = {"team": team.name, "playbook": "Nightly backup"}

    execution = run_in_process(book).wait()
    after = scrape(client)

    assert execution.status == "failed"
    assert value(after, "portal_executions_finished_total", status="failed", **labels) == 1
    assert value(after, "portal_execution_duration_seconds_count", **labels) == 1
    assert value(after, "portal_execution_duration_seconds_bucket", le="+Inf", **labels) == 1
    assert value(after, "portal_steps_failed_total", type="utility.sleep") == (
        value(before, "portal_steps_failed_total", type="utility.sleep") + 1
    )
    for step_type in ("utility.log", "utility.sleep"):
        name = "portal_step_duration_seconds_count"
        assert value(after, name, type=step_type) == value(before, name, type=step_type) + 1
    events = value(after, "portal_execution_events_total") - value(
        before, "portal_execution_events_total"
    )
    assert events == execution.events.count() > 0

    execution_delete([execution], actor=operator)
    deleted = scrape(client)

    for key, number in after.items():
        if key[0] != "portal_executions_live":
            assert deleted.get(key) == number, key


def test_live_runs_and_queue_depth_are_gauges(client, open_metrics, team, operator):
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete("executions")
    book = playbook(team, FAILING, name="Queued")

    execution_start(book, actor=operator)
    samples = scrape(client)
    broker.delete("executions")

    labels = {"team": team.name, "playbook": "Queued", "status": "queued"}
    assert value(samples, "portal_executions_live", **labels) == 1
    assert value(samples, "portal_queue_length", queue="executions") == 1
    assert value(samples, "portal_queue_length", queue="designer") == 0
    assert value(samples, "portal_build_info", version=portal_version()) == 1


def test_workers_alive_counts_the_workers_that_answer(client, open_metrics, celery_worker_running):
    samples = scrape(client)

    assert value(samples, "portal_workers_alive") >= 1


def test_every_histogram_bucket_survives_deleting_the_only_runs(
    client, open_metrics, team, operator
):
    execution = execution_start(playbook(team, FAILING, name="Slow"), actor=operator)
    ended = timezone.now()
    execution.steps.update(
        status="completed", started_at=ended - timedelta(seconds=50), finished_at=ended
    )
    Execution.objects.filter(pk=execution.pk).update(
        status="completed", started_at=ended - timedelta(seconds=100), finished_at=ended
    )
    before = scrape(client)

    execution_delete([execution], actor=operator)
    after = scrape(client)

    low = ("portal_step_duration_seconds_bucket", (("le", "0.1"), ("type", "utility.log")))
    assert before[low] == after[low] == 0
    histograms = [key for key in before if "duration_seconds" in key[0]]
    # Runs of one playbook and steps of two types: 12 buckets, +Inf, _count and _sum each.
    assert len(histograms) == 3 * 15
    assert {key: after.get(key) for key in histograms} == {key: before[key] for key in histograms}


def test_queues_are_left_out_and_no_worker_counted_while_redis_is_down(
    client, open_metrics, settings
):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.HEALTH_CHECK_TIMEOUT_SECONDS = 0.5

    samples = scrape(client)

    assert not [key for key in samples if key[0] == "portal_queue_length"]
    assert samples[("portal_workers_alive", ())] == 0


def test_a_broker_error_during_the_ping_counts_no_worker(monkeypatch):
    def refuse(**kwargs):
        raise ConnectionResetError("broker went away")

    monkeypatch.setattr(celery_app.control, "ping", refuse)

    assert workers_alive() == 0
