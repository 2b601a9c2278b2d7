import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection

from apps.accounts.models import User

pytestmark = pytest.mark.django_db


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_wait_for_database_returns_when_it_answers():
    assert run("wait_for_database", timeout=1) == "Database is ready.\n"


def test_wait_for_database_gives_up_with_the_reason(monkeypatch):
    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)

    with pytest.raises(
        CommandError, match="The database did not answer within 0 s: connection refused"
    ):
        run("wait_for_database", timeout=0)


def test_bootstrap_embedded_creates_the_admin_once():
    first = json.loads(run("bootstrap_embedded", "--json"))
    second = json.loads(run("bootstrap_embedded", "--json"))

    admin = User.objects.get(username=first["username"])
    assert admin.check_password(first["password"]) is True
    assert second == {}


def test_bootstrap_embedded_plain_output():
    created = run("bootstrap_embedded")
    again = run("bootstrap_embedded")

    assert created.startswith("Created admin admin with password ")
    assert again == "An admin already exists; nothing created.\n"


def test_wait_for_database_retries_until_it_answers(monkeypatch):
    attempts = []
    real = connection.ensure_connection

    def flaky():
        attempts.append(1)
        if len(attempts) == 1:
            raise OperationalError("starting up")
        real()

    monkeypatch.setattr(connection, "ensure_connection", flaky)

    assert run("wait_for_database", timeout=10) == "Database is ready.\n"
    assert len(attempts) == 2


def test_bootstrap_takes_the_first_admin_from_the_settings_and_prints_no_password(settings):
    settings.PORTAL_ADMIN_USERNAME = "plant-admin"
    settings.PORTAL_ADMIN_PASSWORD = "Given-by-the-installer-1"  # noqa: S105

    created = run("bootstrap_embedded", "--no-demo-gateway")

    admin = User.objects.get(username="plant-admin")
    assert admin.is_superuser
    assert admin.check_password("Given-by-the-installer-1")
    assert created == "Created admin plant-admin with the password set by PORTAL_ADMIN_PASSWORD.\n"
    assert json.loads(run("bootstrap_embedded", "--json", "--no-demo-gateway")) == {}
