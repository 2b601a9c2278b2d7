"""A run's writes ride out a database restart; other code fails at once, as before.

The restart is real from the connection's point of view: its server process is terminated
(``pg_terminate_backend``), so the next statement fails as it does after a restart.
"""

import logging
import re

import psycopg
import pytest
from django.db import OperationalError, connection, transaction

from apps.core import database
from apps.core.database import (
    DatabaseUnavailableError,
    database_patience,
    survives_database_restart,
)
from apps.core.outage import OutageLog
from apps.executions.engine.runner import Runner
from apps.executions.models import Execution
from apps.executions.services.launch import execution_start
from tests.executions.factories import HELLO_STEP, playbook

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _no_outage_before(monkeypatch):
    fresh = OutageLog(database.logger, "Database", meanwhile=database._outage.meanwhile)
    monkeypatch.setattr(database, "_outage", fresh)


def lose_the_connection() -> None:
    """End this connection's server process behind Django's back."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@survives_database_restart
def count_runs(calls: list) -> int:
    calls.append(1)
    return Execution.objects.count()


def test_a_marked_function_runs_again_on_a_new_connection(caplog):
    caplog.set_level(logging.INFO, logger="apps.core.database")
    lose_the_connection()
    calls = []

    with database_patience(5):
        assert count_runs(calls) == 0

    assert len(calls) == 2
    told = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "apps.core.database"]
    assert [level for level, _ in told] == ["WARNING", "INFO"]
    assert told[0][1].startswith("Database unavailable: OperationalError: terminating connection")
    assert re.fullmatch(r"Database available again after \d+ s \(1 failure\)\.", told[1][1])


def test_without_patience_the_lost_connection_fails_at_once():
    lose_the_connection()
    calls = []

    with pytest.raises(OperationalError):
        count_runs(calls)

    assert len(calls) == 1
    connection.close()


def test_inside_a_transaction_the_outer_block_decides():
    calls = []

    def in_a_transaction() -> None:
        with transaction.atomic():
            lose_the_connection()
            count_runs(calls)

    with database_patience(5), pytest.raises(OperationalError):
        in_a_transaction()

    assert len(calls) == 1
    connection.close()


def test_an_error_of_the_statement_itself_is_not_retried():
    calls = []

    @survives_database_restart
    def too_slow() -> None:
        calls.append(1)
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 10")
            cursor.execute("SELECT pg_sleep(1)")

    with database_patience(5), pytest.raises(OperationalError, match="statement timeout"):
        too_slow()

    assert len(calls) == 1
    connection.close()


def test_a_database_gone_past_the_patience_stops_with_a_clear_reason():
    calls = []

    @survives_database_restart
    def never_answered() -> None:
        calls.append(1)
        lose_the_connection()
        Execution.objects.count()

    with database_patience(1), pytest.raises(DatabaseUnavailableError) as raised:
        never_answered()

    assert str(raised.value).startswith(
        "The database did not answer for 1 s (DATABASE_OUTAGE_SECONDS): OperationalError: "
    )
    assert str(raised.value).endswith("Check the database server.")
    assert len(calls) >= 2  # at once, then after a pause, until the next pause would pass 1 s


def test_a_run_the_database_left_ends_in_error_with_that_reason(team, operator):
    """A lost database is the installation's fault, not the playbook's: ``error``, not
    ``failed``, and the reason as the engine wrote it."""
    execution = execution_start(playbook(team, HELLO_STEP), actor=operator)
    gone = DatabaseUnavailableError("The database did not answer for 40 s: Check the server.")

    outcome = Runner(execution).outcome(gone)

    assert outcome == ("error", "The database did not answer for 40 s: Check the server.")
