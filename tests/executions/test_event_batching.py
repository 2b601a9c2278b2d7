"""A running engine's events are stored and sent in batches, in order, with contiguous seqs."""

import asyncio
import threading

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection

from apps.executions.events import EventType, event_record, execution_group
from apps.executions.models import ExecutionEvent
from apps.executions.services.control import execution_cancel
from apps.executions.services.launch import execution_start
from tests.executions.factories import playbook
from tests.executions.fixtures import InProcessRun

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RECEIVE_SECONDS = 20


def log_steps(count: int) -> str:
    return "".join(
        f"- id: log{n}\n  name: Log {n}\n  type: utility.log\n"
        f"  parameters: {{message: 'line {n}'}}\n"
        for n in range(count)
    )


class Watcher:
    """One channel in the run's group on the Redis channel layer, as a run page's socket has."""

    def __init__(self, execution_id) -> None:
        self.layer = get_channel_layer()
        self.channel = async_to_sync(self.layer.new_channel)()
        async_to_sync(self.layer.group_add)(execution_group(execution_id), self.channel)
        self.messages: list[dict] = []

    def receive_until(self, done) -> list[dict]:
        """Receive until ``done(event)`` holds for an event; every event so far, in order."""

        async def receive() -> None:
            while not any(done(event) for event in self.events()):
                message = await asyncio.wait_for(self.layer.receive(self.channel), RECEIVE_SECONDS)
                self.messages.append(message)

        async_to_sync(receive)()
        return self.events()

    def events(self) -> list[dict]:
        """The events of every message, a batch split into its events."""
        return [
            event
            for message in self.messages
            for event in message.get("events", [message.get("event")])
        ]


def launched(team, operator, steps: str) -> tuple[InProcessRun, Watcher]:
    execution = execution_start(playbook(team, steps), actor=operator)
    watcher = Watcher(execution.pk)  # before the engine's first event
    return InProcessRun(execution), watcher


def finished(event: dict) -> bool:
    return event["type"] == EventType.FINISHED


def stored_seqs(execution) -> list[int]:
    return list(execution.events.order_by("seq").values_list("seq", flat=True))


def test_a_burst_of_events_is_stored_and_sent_in_a_few_batches(team, operator):
    run, watcher = launched(team, operator, log_steps(66))

    received = watcher.receive_until(finished)
    execution = run.wait()

    events = ExecutionEvent.objects.filter(execution=execution)
    assert events.count() >= 200
    # Rows inserted by one transaction share its id (xmin): one per batch, not one per event.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT xmin::text) FROM executions_executionevent "
            "WHERE execution_id = %s",
            [execution.pk],
        )
        (transactions,) = cursor.fetchone()
    assert transactions <= events.count() // 10
    assert len(watcher.messages) <= events.count() // 10
    # Every event but the launch's (sent before the watcher joined), each once, in seq order.
    assert [event["seq"] for event in received] == stored_seqs(execution)[1:]
    logs = [event["payload"]["message"] for event in received if event["type"] == EventType.LOG]
    assert logs == [f"line {n}" for n in range(66)]


def test_control_events_written_meanwhile_get_their_own_seqs_between_the_runs(team, operator):
    run, watcher = launched(team, operator, log_steps(40))

    def controls() -> None:
        try:
            for number in range(30):
                event_record(run.execution.pk, EventType.CONTROL, {"command": "note", "n": number})
        finally:
            connection.close()

    other = threading.Thread(target=controls)
    other.start()
    other.join(30)
    watcher.receive_until(finished)
    execution = run.wait()

    events = list(execution.events.order_by("seq"))
    assert [event.seq for event in events] == list(range(1, execution.last_seq + 1))
    notes = [event.payload["n"] for event in events if event.type == EventType.CONTROL]
    logs = [event.payload["message"] for event in events if event.type == EventType.LOG]
    assert (notes, logs) == (list(range(30)), [f"line {n}" for n in range(40)])


SLEEP = """
- id: before
  name: Before
  type: utility.log
  parameters: {message: before the nap}
- id: nap
  name: Nap
  type: utility.sleep
  parameters: {seconds: 60}
"""


def step_running(path: str):
    return lambda event: (
        event["type"] == EventType.STEP
        and event["payload"]["path"] == path
        and event["payload"]["status"] == "running"
    )


def test_events_reach_the_page_while_the_engine_waits_in_a_step(team, operator):
    """Nothing else is queued after them: the writer sends them on its own, mid-step."""
    run, watcher = launched(team, operator, SLEEP)

    received = watcher.receive_until(step_running("1"))

    assert "before the nap" in [event["payload"].get("message") for event in received]
    execution_cancel(run.execution, actor=operator)
    assert run.wait().status == "cancelled"


def test_a_cancelled_run_sends_everything_it_queued_before_its_end(team, operator):
    run, watcher = launched(team, operator, SLEEP + log_steps(3))
    watcher.receive_until(step_running("1"))

    execution_cancel(run.execution, actor=operator)
    received = watcher.receive_until(finished)
    execution = run.wait()

    assert [event["seq"] for event in received] == stored_seqs(execution)[1:]
    assert received[-1]["payload"]["status"] == "cancelled"
    nap = [event["payload"]["status"] for event in received if event["payload"].get("path") == "1"]
    assert nap == ["running", "cancelled"]


FAILING = (
    log_steps(4)
    + "- id: first\n  name: First\n  type: utility.set_variable\n"
    + "  parameters: {name: answer, value: 42}\n"
    + "- id: broken\n  name: Broken\n  type: utility.log\n"
    + "  parameters: {message: '{{ step.first.value.nope }}'}\n"
)


def test_a_failed_run_stores_and_sends_its_events_before_its_end(team, operator):
    run, watcher = launched(team, operator, FAILING)

    received = watcher.receive_until(finished)
    execution = run.wait()

    assert execution.status == "failed"
    assert [event["seq"] for event in received] == stored_seqs(execution)[1:]
    assert execution.steps.get(step_id="broken").status == "failed"
    broken = [e for e in received if e["type"] == EventType.STEP and e["payload"]["path"] == "5"]
    assert broken[-1]["payload"]["status"] == "failed"
    assert received[-1]["payload"]["status"] == "failed"
