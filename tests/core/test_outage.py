"""OutageLog: one warning when an outage starts, reminders with a count, one line when over."""

import logging

import pytest

from apps.core.outage import OutageLog

logger = logging.getLogger("tests.outage")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def outage(clock, settings):
    settings.OUTAGE_REMINDER_SECONDS = 60
    return OutageLog(logger, "Thing (Redis)", meanwhile="Work waits.", clock=clock)


def lines(caplog) -> list[tuple[str, str]]:
    return [(r.levelname, r.getMessage()) for r in caplog.records if r.name == logger.name]


def test_an_outage_is_one_warning_then_one_line_when_it_is_over(outage, clock, caplog):
    caplog.set_level(logging.INFO, logger=logger.name)
    for _ in range(500):
        outage.failed(ConnectionError("Error 111 connecting to 127.0.0.1:6379.\nRefused."))
        clock.now += 0.05
    outage.succeeded()
    outage.succeeded()

    assert lines(caplog) == [
        (
            "WARNING",
            "Thing (Redis) unavailable: ConnectionError: Error 111 connecting to "
            "127.0.0.1:6379. Refused. Work waits.",
        ),
        ("INFO", "Thing (Redis) available again after 25 s (500 failures)."),
    ]


def test_a_long_outage_is_reminded_with_the_failures_since_the_last_line(outage, clock, caplog):
    for _ in range(130):
        outage.failed(TimeoutError())
        clock.now += 1

    assert lines(caplog) == [
        ("WARNING", "Thing (Redis) unavailable: TimeoutError. Work waits."),
        (
            "WARNING",
            "Thing (Redis) still unavailable after 60 s (60 failures since the last message): "
            "TimeoutError",
        ),
        (
            "WARNING",
            "Thing (Redis) still unavailable after 120 s (60 failures since the last message): "
            "TimeoutError",
        ),
    ]


def test_the_reminder_interval_is_a_setting(outage, clock, caplog, settings):
    settings.OUTAGE_REMINDER_SECONDS = 5
    for _ in range(11):
        outage.failed(OSError("down"))
        clock.now += 1

    assert [level for level, _ in lines(caplog)] == ["WARNING", "WARNING", "WARNING"]


def test_each_new_outage_is_told_again(outage, clock, caplog):
    caplog.set_level(logging.INFO, logger=logger.name)
    outage.failed(OSError("first"))
    outage.succeeded()
    clock.now += 1
    outage.failed(OSError("second"))

    assert [message.split(":")[0] for _, message in lines(caplog)] == [
        "Thing (Redis) unavailable",
        "Thing (Redis) available again after 0 s (1 failure).",
        "Thing (Redis) unavailable",
    ]
    assert outage.ongoing


def test_success_without_an_outage_says_nothing(outage, caplog):
    caplog.set_level(logging.INFO, logger=logger.name)
    outage.succeeded()

    assert lines(caplog) == []
    assert not outage.ongoing
