"""What every chaos test checks: bounded waits, a settled run, contiguous events, pages served.

Waits are bounds with a clear failure message, never timing assertions. Reads survive the
outages the tests cause (a dropped database connection is closed and opened again).
"""

import time
from pathlib import Path

import httpx
from django.db import Error as DatabaseError
from django.db import connection
from django.test import Client

from apps.executions.models import LIVE_STATUSES, Execution, ExecutionEvent, StepStatus


def eventually(check, what: str, *, timeout: float = 60, interval: float = 0.2):
    """Poll ``check()`` until it returns a true value, and return it."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except DatabaseError as exc:  # the database is restarting: reconnect on the next try
            connection.close()
            last = exc
        if last and not isinstance(last, Exception):
            return last
        time.sleep(interval)
    raise AssertionError(f"{what} not reached within {timeout:g} s (last seen: {last!r})")


def step_running(execution_id, step_id: str, *, timeout: float = 60) -> None:
    eventually(
        lambda: (
            Execution.objects.get(pk=execution_id)
            .steps.filter(step_id=step_id, status=StepStatus.RUNNING)
            .exists()
        ),
        f"step {step_id!r} running",
        timeout=timeout,
    )


def run_ended(execution_id, *, timeout: float = 90) -> Execution:
    return eventually(
        lambda: _ended(Execution.objects.get(pk=execution_id)),
        f"the end of run {execution_id}",
        timeout=timeout,
    )


def _ended(execution: Execution) -> Execution | None:
    return execution if execution.status not in LIVE_STATUSES else None


def assert_settled(execution_id) -> Execution:
    """The run ended, its stored events are 1..N without a gap, the last one is its end with
    its reason, and none of its steps is left running."""
    execution = Execution.objects.get(pk=execution_id)
    assert execution.status not in LIVE_STATUSES, execution.status
    events = list(ExecutionEvent.objects.filter(execution_id=execution_id).order_by("seq"))
    seqs = [event.seq for event in events]
    assert seqs == list(range(1, len(seqs) + 1)), f"event seqs with a gap: {seqs}"
    assert seqs[-1] == execution.last_seq
    last = events[-1]
    assert last.type == "execution.finished", [event.type for event in events[-3:]]
    assert last.payload["reason"] == execution.status_reason
    running = execution.steps.filter(status=StepStatus.RUNNING)
    assert not running.exists(), list(running.values_list("step_id", flat=True))
    return execution


def assert_serves_pages(web_url: str, user, execution_id, *, timeout: float = 60) -> None:
    """The portal answers its health check and shows the run's page to ``user`` again."""
    cookies = {"sessionid": session_cookie(user)}

    def page() -> bool:
        try:
            ready = httpx.get(f"{web_url}/health/ready", timeout=5)
            run = httpx.get(f"{web_url}/executions/{execution_id}/", cookies=cookies, timeout=10)
        except httpx.HTTPError as exc:
            return exc
        return ready.status_code == 200 and run.status_code == 200 and str(execution_id) in run.text

    eventually(page, "the portal serving the run's page again", timeout=timeout)


def session_cookie(user) -> str:
    """A signed-in session of ``user`` (the value of the ``sessionid`` cookie)."""
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def tail(path: Path, lines: int = 40) -> str:
    """The end of a process's log, for failure messages."""
    if not path.exists():
        return f"({path.name}: no output)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
