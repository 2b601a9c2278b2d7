"""Warnings during a Redis outage: one when it starts and one line when it is over, not one per
try (the run's control channel is polled every 50 ms, every event is broadcast)."""

import logging
import re
import time
import uuid

import pytest

from apps.core.outage import OutageLog
from apps.executions import events
from apps.executions.engine import watcher as watcher_module
from apps.executions.engine.control import RunControl
from apps.executions.engine.watcher import Watcher
from apps.executions.events import EventType, event_record
from apps.executions.models import ExecutionEvent
from apps.executions.services.launch import execution_start
from tests.chaos.checks import eventually
from tests.executions.factories import HELLO_STEP, playbook

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def messages(caplog, logger_name: str, text: str) -> list[tuple[str, str]]:
    return [
        (record.levelname, record.getMessage())
        for record in caplog.records
        if record.name == logger_name and text in record.getMessage()
    ]


@pytest.fixture
def outage_logs(caplog):
    caplog.set_level(logging.INFO, logger="apps.executions")
    return caplog


def test_the_control_channel_outage_is_one_warning_and_one_line_when_back(
    private_redis, settings, outage_logs
):
    settings.REDIS_URL = private_redis.url
    execution_id = str(uuid.uuid4())
    watcher = Watcher(execution_id, RunControl(debug=False), run_timeout_seconds=600)
    watcher.start()
    try:
        eventually(lambda: watcher._pubsub is not None, "the control channel subscribed")
        private_redis.stop()
        time.sleep(1)  # some twenty polls fail meanwhile
        private_redis.start()
        back = f"Control channel of run {execution_id} (Redis) available again"
        name = watcher_module.logger.name
        eventually(lambda: messages(outage_logs, name, back), back, timeout=15)
    finally:
        watcher.stop()
        watcher.join(5)

    told = messages(outage_logs, watcher_module.logger.name, "Control channel of run")
    assert [level for level, _ in told] == ["WARNING", "INFO"], told
    assert told[0][1].startswith(f"Control channel of run {execution_id} (Redis) unavailable: ")
    assert told[0][1].endswith("Controls take effect at the run's next heartbeat.")


def test_live_events_during_an_outage_are_stored_and_warned_about_once(
    private_redis, settings, team, operator, outage_logs, monkeypatch
):
    execution = execution_start(playbook(team, HELLO_STEP), actor=operator)
    layer = settings.CHANNEL_LAYERS["default"]
    hosts = [{**layer["CONFIG"]["hosts"][0], "address": private_redis.url}]
    settings.CHANNEL_LAYERS = {"default": {**layer, "CONFIG": {**layer["CONFIG"], "hosts": hosts}}}
    monkeypatch.setattr(events, "_live", OutageLog(events.logger, "Live events"))
    private_redis.stop()

    for number in range(5):
        event_record(execution.pk, EventType.LOG, {"level": "info", "message": f"n{number}"})
    private_redis.start()
    event_record(execution.pk, EventType.LOG, {"level": "info", "message": "back"})

    told = messages(outage_logs, events.logger.name, "Live events")
    assert [level for level, _ in told] == ["WARNING", "INFO"], told
    assert re.fullmatch(r"Live events available again after \d+ s \(5 failures\)\.", told[1][1])
    stored = ExecutionEvent.objects.filter(execution=execution, type=EventType.LOG)
    assert [e.payload["message"] for e in stored.order_by("seq")] == [
        *(f"n{number}" for number in range(5)),
        "back",
    ]
