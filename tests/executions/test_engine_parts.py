"""Engine parts on their own: resources, masking, frames, the watcher, life-cycle services."""

import time

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from apps.executions.commands import ExecutionCommand
from apps.executions.engine import stopping
from apps.executions.engine.control import RunControl
from apps.executions.engine.masking import MASK, Masker
from apps.executions.engine.resources import Resources
from apps.executions.engine.watcher import APPLY, apply_command
from apps.executions.frames import (
    frame_last,
    frame_publish,
    viewers_add,
    viewers_count,
    viewers_refresh,
    viewers_remove,
)


def test_resources_are_created_once_shared_and_closed_in_reverse():
    closed = []
    resources = Resources()

    first = resources.get("browser", lambda: "b", close=closed.append)
    again = resources.get("browser", lambda: "other")
    resources.get("client", lambda: "c", close=closed.append)
    resources.close()

    assert (first, again) == ("b", "b")
    assert closed == ["c", "b"]
    assert resources.peek("browser") is None


def test_a_failing_close_does_not_stop_the_others():
    closed = []
    resources = Resources()
    resources.get("a", lambda: "a", close=closed.append)
    resources.get("b", lambda: "b", close=lambda item: 1 / 0)

    resources.close()

    assert closed == ["a"]


def test_debug_snapshots_collect_what_each_snapshotter_gives_and_their_errors():
    resources = Resources()
    resources.add_snapshotter(lambda: {"html": "<p>"})
    resources.add_snapshotter(lambda: 1 / 0)

    assert resources.debug_snapshot() == {"html": "<p>", "snapshot_errors": ["division by zero"]}


def test_idle_time_goes_to_the_idler_and_survives_its_failure():
    slept = []
    resources = Resources()
    resources.idle(0)
    resources.set_idler(slept.append)
    resources.idle(0.01)
    resources.set_idler(lambda seconds: 1 / 0)
    resources.idle(0)

    assert slept == [0.01]


def test_celerys_time_limit_inside_the_idler_reaches_the_waiting_step():
    def time_limit_arrives(seconds):
        raise SoftTimeLimitExceeded()

    resources = Resources()
    resources.set_idler(time_limit_arrives)

    with pytest.raises(SoftTimeLimitExceeded):
        resources.idle(0.01)


def test_live_commands_reach_their_handler_oldest_first():
    clicks = []
    resources = Resources()
    resources.add_command_handler("browser.click", lambda m: clicks.append((m["x"], m["y"])))
    resources.add_command_handler("browser.fail", lambda m: 1 / 0)
    pending = [
        {"command": "browser.click", "x": 1, "y": 2},
        {"command": "browser.fail"},
        {"command": "nobody.listens"},
        {"command": "browser.click", "x": 3, "y": 4},
    ]

    resources.dispatch(pending)

    assert clicks == [(1, 2), (3, 4)]
    assert pending == []


def test_masking_replaces_every_secret_inside_nested_values():
    masker = Masker()
    masker.add("hunter2")
    masker.add("hunter2-long")
    masker.add("ab")  # too short to mask safely
    masker.add(None)

    masked = masker.mask({"a": ["x hunter2-long y", ("hunter2",)], "n": 3, "b": "ab"})

    assert masked == {"a": [f"x {MASK} y", [MASK]], "n": 3, "b": "ab"}
    assert Masker().mask("hunter2") == "hunter2"


def test_control_messages_update_the_run_control():
    control = RunControl()

    apply_command(control, {"command": "pause"})
    paused = control.pause_requested
    apply_command(control, {"command": "skip_back"})
    apply_command(control, {"command": "debug", "enabled": True})
    apply_command(control, {"command": "browser.click", "x": 1})
    apply_command(control, {"command": "cancel", "by": 7})

    assert paused is True
    assert control.pause_requested is False
    assert control.take_skip_back() is True
    assert control.debug is True
    assert control.commands == [{"command": "browser.click", "x": 1}]
    assert (control.cancel_reason, control.cancelled_by) == ("cancel", 7)


def test_viewers_are_counted_and_frames_kept_for_late_joiners():
    execution_id = "00000000-0000-0000-0000-00000000f4a1"
    viewers_remove(execution_id)
    before = viewers_count(execution_id)

    viewers_add(execution_id)
    viewers_add(execution_id)
    viewers_refresh(execution_id)
    watching = viewers_count(execution_id)
    viewers_remove(execution_id)
    viewers_remove(execution_id)
    frame_publish(execution_id, b"\xff\xd8jpeg", width=10, height=5)

    assert (before, watching, viewers_count(execution_id)) == (0, 2, 0)
    assert frame_last(execution_id) == {"data": "/9hqcGVn", "width": 10, "height": 5}
    assert frame_last("00000000-0000-0000-0000-000000000000") is None


def test_an_older_read_of_the_row_does_not_undo_a_newer_pause_or_resume():
    control = RunControl()
    read_before = time.monotonic()
    control.pause(True)  # the engine's own debug pause, after the heartbeat read the row

    control.pause_from_row(False, read_at=read_before)
    kept_pause = control.pause_requested
    control.pause_from_row(False, read_at=time.monotonic())  # a resume stored in the row

    assert (kept_pause, control.pause_requested) == (True, False)


def test_a_worker_stop_is_due_after_worker_stop_seconds_from_the_first_request(
    settings, monkeypatch
):
    monkeypatch.setattr(stopping._request, "deadline", None)
    settings.WORKER_STOP_SECONDS = 0
    assert stopping.worker_stop_due() is False

    stopping.worker_stop_request()
    settings.WORKER_STOP_SECONDS = 1000
    stopping.worker_stop_request()

    assert stopping.worker_stop_due() is True
    assert stopping.worker_stop_reason() == (
        "Worker stopping: the run did not end within 1000 s (WORKER_STOP_SECONDS) of the "
        "worker's stop."
    )


def test_every_command_has_one_way_to_reach_the_run_control():
    assert set(APPLY) == set(ExecutionCommand)
    assert [command.label for command in ExecutionCommand][-2:] == ["skip back", "debug"]
