"""The run's background writer: order, failures raised in the engine, and a clean end."""

import threading
import time

import pytest

from apps.executions.engine.writer import Writer


def test_writes_run_in_order_off_the_calling_thread_and_flush_waits_for_them():
    writer, done, threads = Writer("test-writer"), [], set()

    def write(number: int):
        def run() -> None:
            time.sleep(0.01 if number == 0 else 0)  # a slow first write keeps its place
            threads.add(threading.current_thread().name)
            done.append(number)

        return run

    for number in range(20):
        writer.submit(write(number))
    writer.flush()

    assert done == list(range(20))
    assert threads == {"test-writer"}
    writer.close()


def test_a_failed_write_is_raised_at_the_next_submit_and_later_writes_wait_for_that():
    writer, done = Writer("test-writer"), []

    def fail() -> None:
        raise ConnectionError("the database went away")

    writer.submit(fail)
    writer.submit(lambda: done.append("skipped"))
    with pytest.raises(ConnectionError, match="went away"):
        writer.flush()
    writer.submit(lambda: done.append("after"))
    writer.close()

    assert done == ["after"]


def test_close_raises_a_failure_not_yet_seen_and_still_ends_the_thread():
    writer = Writer("test-writer")
    writer.submit(lambda: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        writer.close()

    assert [t for t in threading.enumerate() if t.name == "test-writer"] == []
