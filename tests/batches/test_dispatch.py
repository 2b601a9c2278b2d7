"""Batches on a real worker against simulated gateways: the concurrency limit, the policies
and retrying the failed gateways."""

import pytest

from apps.core.errors import ConflictError
from apps.executions.models import BatchPolicy, BatchStatus, Execution
from apps.executions.services.batches import batch_retry_failed, batch_start
from tests.batches.helpers import (
    batch_playbook,
    most_at_once,
    runs_by_gateway,
    tagged_gateways,
    wait_for_batch,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_tag_of_three_gateways_with_concurrency_2_never_runs_more_than_2(
    team, operator, sim_factory, wide_worker
):
    urls = {
        "gw-a": sim_factory().url,
        "gw-b": sim_factory().url,
        "gw-c": sim_factory(version="8.1.x").url,
    }
    gateways = tagged_gateways(team, urls)

    batch = batch_start(batch_playbook(team), actor=operator, gateways=gateways, concurrency=2)
    finished = wait_for_batch(batch)

    runs = list(Execution.objects.filter(batch=batch))
    assert finished.status == BatchStatus.COMPLETED
    assert runs_by_gateway(batch) == {name: ["completed"] for name in urls}
    assert most_at_once(runs) == 2


def test_stop_on_first_failure_cancels_the_runs_not_started(
    team, operator, sim_factory, closed_port_url, wide_worker
):
    gateways = tagged_gateways(
        team, {"gw-a-down": closed_port_url, "gw-b": sim_factory().url, "gw-c": sim_factory().url}
    )

    batch = batch_start(
        batch_playbook(team),
        actor=operator,
        gateways=gateways,
        concurrency=1,
        policy=BatchPolicy.STOP,
    )
    finished = wait_for_batch(batch)

    assert finished.status == BatchStatus.FAILED
    assert finished.status_reason == "Stopped: the run on gw-a-down ended failed."
    assert runs_by_gateway(batch) == {
        "gw-a-down": ["failed"],
        "gw-b": ["cancelled"],
        "gw-c": ["cancelled"],
    }
    never_started = Execution.objects.filter(batch=batch, gateway__name__in=["gw-b", "gw-c"])
    assert [run.started_at for run in never_started] == [None, None]


def test_continue_runs_every_gateway_and_retry_starts_only_the_failed_one_again(
    team, operator, sim_factory, wide_worker
):
    broken = sim_factory()
    broken.fault("/system/gwinfo", "500", count=100)
    gateways = tagged_gateways(
        team, {"gw-a-broken": broken.url, "gw-b": sim_factory().url, "gw-c": sim_factory().url}
    )
    batch = batch_start(batch_playbook(team), actor=operator, gateways=gateways, concurrency=2)
    assert wait_for_batch(batch).status == BatchStatus.FAILED
    assert runs_by_gateway(batch) == {
        "gw-a-broken": ["failed"],
        "gw-b": ["completed"],
        "gw-c": ["completed"],
    }

    broken.clear_faults()
    retried = batch_retry_failed(batch, actor=operator)
    assert (retried.status, retried.finished_at) == (BatchStatus.RUNNING, None)
    finished = wait_for_batch(batch)

    assert finished.status == BatchStatus.COMPLETED
    assert runs_by_gateway(batch) == {
        "gw-a-broken": ["failed", "completed"],
        "gw-b": ["completed"],
        "gw-c": ["completed"],
    }
    with pytest.raises(ConflictError, match="Nothing to retry: every gateway's last run completed"):
        batch_retry_failed(batch, actor=operator)
