import logging

import pytest
from django.test import override_settings
from django.urls import resolve

from apps.core import health
from apps.core.log_filters import NotReadyIsNotAnError

pytestmark = pytest.mark.django_db


def test_live_answers_without_login(client):
    response = client.get("/health/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_reports_the_missing_worker(client, monkeypatch):
    """When no Celery worker answers the ping, readiness fails naming the workers."""
    monkeypatch.setattr(health.celery_app.control, "ping", lambda **kwargs: [])

    response = client.get("/health/ready")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert [component["name"] for component in body["failing"]] == ["workers"]
    assert body["failing"][0]["message"] == "down"


@override_settings(REDIS_URL="redis://127.0.0.1:1/0", HEALTH_CHECK_TIMEOUT_SECONDS=0.5)
def test_ready_tells_only_staff_why_a_part_fails(client, admin_user):
    """The failure messages name hosts and ports: an anonymous probe gets the part and its state."""
    anonymous = client.get("/health/ready").json()["failing"]
    client.force_login(admin_user)
    staff = client.get("/health/ready").json()["failing"]

    assert [(part["name"], part["message"]) for part in anonymous] == [
        ("redis", "down"),
        ("workers", "down"),
    ]
    assert "127.0.0.1:1" not in str(anonymous)
    assert "127.0.0.1:1" in staff[0]["message"]


def test_ready_is_ok_when_every_component_answers(client, celery_worker_running):
    response = client.get("/health/ready")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@override_settings(REDIS_URL="redis://127.0.0.1:1/0", HEALTH_CHECK_TIMEOUT_SECONDS=0.5)
def test_broker_down_skips_the_worker_ping():
    results = {result.name: result for result in health.run_checks()}

    assert results["database"].ok is True
    assert results["redis"].ok is False
    assert "ConnectionError" in results["redis"].message
    assert results["workers"].message == "not checked: Redis, the broker, is unavailable"


def test_database_failure_is_reported(monkeypatch):
    def broken_cursor():
        raise RuntimeError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)

    result = health.check_database()

    assert result.ok is False
    assert result.message == "RuntimeError: connection refused"


def test_worker_ping_error_is_reported(monkeypatch):
    def failing_ping(**kwargs):
        raise OSError("broker gone")

    monkeypatch.setattr(health.celery_app.control, "ping", failing_ping)

    result = health.check_workers()

    assert (result.ok, result.message) == (False, "OSError: broker gone")


def test_detailed_is_for_staff_only(client, editor):
    client.force_login(editor)

    response = client.get("/health/detailed")

    assert response.status_code == 403


def test_detailed_lists_every_component(client, admin_user, celery_worker_running):
    client.force_login(admin_user)

    response = client.get("/health/detailed")

    body = response.json()
    assert response.status_code == 200
    assert [component["name"] for component in body["components"]] == [
        "database",
        "redis",
        "workers",
    ]
    assert body["status"] == "ok"
    assert body["components"][2]["message"].startswith("answered: pytest-")
    assert all({"name", "ok", "message", "checked_at"} == set(c) for c in body["components"])


def test_detailed_redirects_anonymous_to_login(client):
    response = client.get("/health/detailed")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_not_ready_is_logged_as_information_not_as_an_error(client, monkeypatch, caplog):
    monkeypatch.setattr(health.celery_app.control, "ping", lambda **kwargs: [])

    with caplog.at_level(logging.INFO, logger="django.request"):
        client.get("/health/ready")

    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert (record.levelname, record.getMessage()) == ("INFO", "Service Unavailable: /health/ready")


@pytest.mark.parametrize(
    ("path", "status"), [("/health/live", 503), ("/health/ready", 500), (None, 503)]
)
def test_other_server_errors_stay_errors(rf, path, status):
    record = logging.LogRecord("django.request", logging.ERROR, "", 0, "boom", None, None)
    record.status_code = status
    if path is not None:
        record.request = rf.get(path)
        record.request.resolver_match = resolve(path)

    assert NotReadyIsNotAnError().filter(record) is True
    assert record.levelname == "ERROR"
