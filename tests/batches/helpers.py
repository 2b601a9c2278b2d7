"""Playbooks, gateways and waits shared by the batch tests."""

import time

from apps.executions.models import Batch, Execution
from tests.executions.factories import playbook
from tests.gateways.factories import GatewayFactory

PARAMETERS = """
    - {name: gateway_url, type: string, required: false}
"""
# Pings the target (never fails), holds a moment so runs overlap, then reads its info
# (fails when nothing answers at the gateway's address).
STEPS = """
    - {id: ping, name: Ping, type: gateway.ping}
    - {id: hold, name: Hold, type: utility.sleep, parameters: {seconds: 1}}
    - {id: info, name: Info, type: gateway.get_info}
"""


def batch_playbook(team, *, path: str = "gateway/fleet.yaml"):
    return playbook(team, STEPS, parameters=PARAMETERS, path=path, name="Fleet check")


def tagged_gateways(team, urls: dict[str, str], tag: str = "plant-a") -> list:
    return [
        GatewayFactory(team=team, name=name, base_url=url, tags=[tag]) for name, url in urls.items()
    ]


def wait_for_batch(batch: Batch, timeout: float = 120) -> Batch:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = Batch.objects.get(pk=batch.pk)
        if current.finished_at is not None:
            return current
        time.sleep(0.2)
    raise AssertionError(f"the batch did not end; runs: {runs_by_gateway(batch)}")


def runs_by_gateway(batch: Batch) -> dict[str, list[str]]:
    runs: dict[str, list[str]] = {}
    for run in (
        Execution.objects.filter(batch=batch).select_related("gateway").order_by("queued_at")
    ):
        runs.setdefault(run.gateway.name, []).append(run.status)
    return runs


def most_at_once(runs) -> int:
    """The largest number of runs that were running at the same moment."""
    edges = []
    for run in runs:
        edges += [(run.started_at, 1), (run.finished_at, -1)]
    at_once = most = 0
    for _, change in sorted(edges, key=lambda edge: (edge[0], edge[1])):
        at_once += change
        most = max(most, at_once)
    return most
