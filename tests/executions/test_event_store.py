"""Event rows with their seq and a change to another row, on PostgreSQL and the generic path."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

from apps.executions.event_store import NewEvent, RowChange, event_insert, events_insert
from apps.executions.models import Execution, ExecutionEvent, StepRun
from apps.executions.services.launch import execution_start
from tests.executions.factories import HELLO_STEP, playbook

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["postgresql", "generic"])
def path(request, monkeypatch):
    """One statement on PostgreSQL; the short transaction SQLite uses, run here on PostgreSQL."""
    if request.param == "generic":
        monkeypatch.setattr(connection, "vendor", "sqlite")
    return request.param


def test_an_event_is_stored_with_the_next_seq_and_its_row_change(path, team, operator):
    execution = execution_start(playbook(team, HELLO_STEP), actor=operator)
    row = execution.steps.get()
    last_seq = Execution.objects.get(pk=execution.pk).last_seq
    change = RowChange(StepRun, row.pk, {"status": "running", "outputs": {"n": [1, "two"]}})

    event = event_insert(execution.pk, "step.status", {"path": "0", "n": 1}, change)
    after = event_insert(execution.pk, "log", {"message": "next"})

    stored = ExecutionEvent.objects.get(pk=event.pk)
    row.refresh_from_db()
    assert (event.seq, after.seq) == (last_seq + 1, last_seq + 2)
    assert (stored.seq, stored.type, stored.payload) == (event.seq, "step.status", event.payload)
    assert stored.created_at == event.created_at
    assert (row.status, row.outputs) == ("running", {"n": [1, "two"]})
    assert Execution.objects.get(pk=execution.pk).last_seq == last_seq + 2


def test_an_event_of_a_missing_execution_is_refused_and_stores_nothing(path):
    with pytest.raises(Execution.DoesNotExist), transaction.atomic():
        event_insert(uuid.uuid4(), "log", {"message": "lost"})

    assert ExecutionEvent.objects.count() == 0


def test_a_batch_is_stored_under_consecutive_seqs_with_its_changes_in_one_transaction(
    team, operator
):
    execution = execution_start(playbook(team, HELLO_STEP), actor=operator)
    row = execution.steps.get()
    at = timezone.now() - timedelta(seconds=1)
    batch = [
        NewEvent(
            "step.status",
            {"status": "running"},
            RowChange(StepRun, row.pk, {"status": "running"}),
            at,
        ),
        NewEvent("log", {"message": "hello"}, None, at),
        NewEvent(
            "step.status",
            {"status": "done"},
            RowChange(StepRun, row.pk, {"status": "completed"}),
            at,
        ),
    ]

    stored = events_insert(execution.pk, batch)

    rows_stored = ExecutionEvent.objects.filter(execution=execution, seq__gt=1).order_by("seq")
    assert [(e.seq, e.type, e.payload) for e in stored] == [
        (e.seq, e.type, e.payload) for e in rows_stored
    ]
    assert [e.seq for e in stored] == [2, 3, 4]
    assert [e.pk for e in stored] == [e.pk for e in rows_stored]
    assert {e.created_at for e in rows_stored} == {at}
    # Rows inserted by one transaction share its id (xmin).
    assert rows_stored.annotate(tx=RawSQL("xmin::text", [])).values("tx").distinct().count() == 1
    assert StepRun.objects.get(pk=row.pk).status == "completed"
    assert Execution.objects.get(pk=execution.pk).last_seq == 4


TWO_STEPS = HELLO_STEP + HELLO_STEP.replace("id: hello", "id: again")


def test_a_batch_leaves_each_row_as_its_changes_one_after_another_would(path, team, operator):
    execution = execution_start(playbook(team, TWO_STEPS), actor=operator)
    first, second = execution.steps.order_by("path")
    at = timezone.now()
    started = {"status": "running", "attempts": 1, "started_at": at, "error": ""}
    changes = [
        RowChange(StepRun, first.pk, started),
        RowChange(StepRun, second.pk, {"status": "skipped", "finished_at": at}),
        RowChange(StepRun, first.pk, {"status": "completed", "outputs": {"a": [1]}}),
    ]

    events_insert(execution.pk, [NewEvent("step.status", {}, change, at) for change in changes])

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.attempts, first.started_at, first.outputs) == (
        "completed",
        1,
        at,
        {"a": [1]},
    )
    assert (first.finished_at, second.status, second.finished_at) == (None, "skipped", at)
    assert (second.attempts, second.started_at, second.outputs) == (0, None, {})
