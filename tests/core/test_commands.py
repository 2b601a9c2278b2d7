import io

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection

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
