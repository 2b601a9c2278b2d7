"""The fleet across hosts: two worker "hosts" with their own data folders, sharing PostgreSQL,
Redis and a real S3-compatible store, with this process as the web. A gateway is locked across
both hosts, queued runs go to whichever host is free, controls reach the host running the run,
the reaper frees a dead host's gateway for the other one, and designer runs go to the desktop
host only."""

import os
import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.executions.models import Execution
from apps.executions.services.control import execution_cancel, execution_pause, execution_resume
from apps.executions.services.launch import execution_start
from apps.executions.services.lifecycle import execution_reap_stale
from tests.executions.factories import playbook
from tests.executions.test_worker import wait_until
from tests.fixtures import processes
from tests.gateways.factories import GatewayFactory
from tests.steps.plugins.designer.test_capability import DESIGNER_PLAYBOOK, DesignerWorker

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

NAP = """
- id: nap
  name: Nap
  type: utility.sleep
  parameters: {{seconds: {seconds}}}
"""


@pytest.fixture
def host_env(object_store, tmp_path):
    """The environment of a worker host ``name``: the shared store, a data folder of its own."""

    def env(name: str) -> dict[str, str]:
        store = object_store.worker_env(tmp_path / f"{name}.secret")
        return {**store, "ARTIFACTS_ROOT": str(tmp_path / name)}

    return env


@pytest.fixture
def hosts(host_env, celery_workers):
    """Workers on hosts A and B, one run at a time each."""
    suffix = time.monotonic_ns()
    return {
        name: celery_workers(name=f"{name}-{suffix}", env=host_env(name)) for name in ("a", "b")
    }


def host_of(run: Execution) -> str:
    return run.worker_hostname.split("-")[0]


def test_a_gateway_is_locked_across_hosts_while_another_gateway_runs_beside_it(
    team, operator, hosts
):
    one, other = GatewayFactory(team=team), GatewayFactory(team=team)
    book = playbook(team, NAP.format(seconds=1.5))

    first = execution_start(book, actor=operator, gateway=one)
    second = execution_start(book, actor=operator, gateway=one)
    beside = execution_start(book, actor=operator, gateway=other)
    done = [wait_until(run.pk, lambda e: e.is_finished) for run in (first, second, beside)]
    first, second, beside = done

    assert [run.status for run in done] == ["completed"] * 3
    assert second.started_at >= first.finished_at
    assert beside.started_at < first.finished_at
    assert {host_of(first), host_of(beside)} == {"a", "b"}


def test_controls_reach_the_run_on_either_host(team, operator, hosts):
    book = playbook(team, NAP.format(seconds=60))
    runs = [execution_start(book, actor=operator, gateway=GatewayFactory(team=team)) for _ in hosts]
    running = [wait_until(run.pk, lambda e: e.status == "running") for run in runs]

    for run in running:
        execution_pause(run, actor=operator)
    paused = [wait_until(run.pk, lambda e: e.status == "paused") for run in running]
    for run in paused:
        execution_resume(run, actor=operator)
    resumed = [wait_until(run.pk, lambda e: e.status == "running") for run in paused]
    for run in resumed:
        execution_cancel(run, actor=operator)
    ended = [wait_until(run.pk, lambda e: e.is_finished) for run in resumed]

    assert sorted(host_of(run) for run in running) == ["a", "b"]
    assert [run.status for run in ended] == ["cancelled", "cancelled"]
    assert all(run.steps.get().status == "cancelled" for run in ended)


def test_the_reaper_frees_a_dead_hosts_gateway_for_the_other_host(team, operator, hosts):
    gateway = GatewayFactory(team=team)
    stuck = execution_start(
        playbook(team, NAP.format(seconds=120)), actor=operator, gateway=gateway
    )
    stuck = wait_until(stuck.pk, lambda e: e.status == "running")
    waiting = execution_start(
        playbook(team, NAP.format(seconds=0.2)), actor=operator, gateway=gateway
    )
    dead = hosts[host_of(stuck)]

    os.killpg(dead.process.pid, signal.SIGKILL)
    dead.process.wait()
    queued = Execution.objects.get(pk=waiting.pk)
    heartbeat = timezone.now() - timedelta(minutes=5)  # as long ago as a dead host's last beat
    Execution.objects.filter(pk=stuck.pk).update(heartbeat_at=heartbeat)
    reaped_count = execution_reap_stale()
    reaped = Execution.objects.get(pk=stuck.pk)
    taken = wait_until(waiting.pk, lambda e: e.is_finished)

    assert queued.status == "queued"
    assert reaped_count == 1
    assert (reaped.status, reaped.status_reason.split(":")[0]) == ("error", "Worker lost")
    assert taken.status == "completed"
    assert host_of(taken) != host_of(stuck)
    assert taken.started_at >= reaped.finished_at


def test_designer_runs_go_to_the_desktop_host_only(team, operator, host_env, celery_workers):
    suffix = time.monotonic_ns()
    celery_workers(name=f"a-{suffix}", env=host_env("a"))
    desktop = DesignerWorker(
        {**processes.test_process_environment(), **host_env("b")}, name=f"b-{suffix}"
    )
    try:
        book = playbook(team, DESIGNER_PLAYBOOK)
        runs = [execution_start(book, actor=operator) for _ in range(2)]
        ended = [wait_until(run.pk, lambda e: e.is_finished) for run in runs]
    finally:
        desktop.stop()

    assert [host_of(run) for run in ended] == ["b", "b"]
    assert all("has no DISPLAY" in run.steps.get().error for run in ended)
