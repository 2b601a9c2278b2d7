"""A 20-gateway batch on simulators: its overhead over the slowest run, per-run queue wait."""

import math
import statistics
from contextlib import ExitStack

from apps.credentials.services import credential_create
from apps.executions.models import Batch, Execution
from apps.executions.services.batches import batch_start
from apps.gateways.models import Gateway
from apps.gateways.services import gateway_create
from apps.playbooks.services.catalogue import playbook_import
from bench.browser_overhead import Simulator
from bench.runs import bench_actor, print_load, verdict, wait_until
from bench.worker import BenchWorker

GATEWAYS = 20
# 20 simulator processes would crowd two cores: each simulator serves several gateway
# records (allow_concurrent_runs, so two runs of one simulator may overlap).
SIMULATORS = 4
CONCURRENCY = 4
# Ideal: ceil(GATEWAYS / CONCURRENCY) waves, each as long as the slowest run at most.
TARGET_FACTOR = 1.5
PLAYBOOK = """name: Bench fleet login
version: '1.0'
domain: gateway
description: Benchmark.
parameters:
  - {name: gateway_url, type: string, required: false}
  - {name: gw, type: credential}
steps:
  - id: login
    name: Log in
    type: gateway.login
    parameters: {username: "{{ parameter.gw.username }}", password: "{{ parameter.gw }}"}
  - {id: ping, name: Ping, type: gateway.ping}
"""


def run() -> None:
    print_load()
    print(
        f"  {GATEWAYS} gateways on {SIMULATORS} simulator processes "
        f"({GATEWAYS // SIMULATORS} gateway records each), batch concurrency {CONCURRENCY}, "
        f"worker celery prefork -c {CONCURRENCY}; playbook: gateway.login + gateway.ping",
        flush=True,
    )
    with ExitStack() as stack:
        urls = [stack.enter_context(Simulator()) for _ in range(SIMULATORS)]
        stack.enter_context(BenchWorker(concurrency=CONCURRENCY))
        gateways = _gateways(urls)
        batch = _launch(gateways)
        runs = _wait(batch)
    _report(batch, runs)


def _gateways(urls: list[str]) -> list[Gateway]:
    user, team = bench_actor()
    Gateway.objects.filter(team=team, name__startswith="bench-gw-").delete()
    return [
        gateway_create(
            team=team,
            actor=user,
            name=f"bench-gw-{index:02d}",
            base_url=urls[index % len(urls)],
            allow_concurrent_runs=True,
        )
        for index in range(GATEWAYS)
    ]


def _launch(gateways: list[Gateway]) -> Batch:
    user, team = bench_actor()
    if not team.credentials.filter(name="bench-sim-admin").exists():
        credential_create(
            team=team,
            actor=user,
            name="bench-sim-admin",
            username="admin",
            secret="password",  # noqa: S106
        )
    playbook = playbook_import(team=team, actor=user, content=PLAYBOOK).playbook
    playbook.verified = True
    playbook.save(update_fields=["verified"])
    return batch_start(
        playbook,
        actor=user,
        gateways=gateways,
        parameters={"gw": "bench-sim-admin"},
        concurrency=CONCURRENCY,
    )


def _wait(batch: Batch) -> list[Execution]:
    wait_until(
        lambda: Batch.objects.filter(pk=batch.pk, finished_at__isnull=False).exists(),
        timeout=600,
        every=0.2,
    )
    batch.refresh_from_db()
    return list(Execution.objects.filter(batch=batch))


def _report(batch: Batch, runs: list[Execution]) -> None:
    statuses: dict[str, int] = {}
    for execution in runs:
        statuses[execution.status] = statuses.get(execution.status, 0) + 1
    print(f"  batch {batch.status}; runs: {statuses}", flush=True)
    started = [execution for execution in runs if execution.started_at and execution.finished_at]
    if len(started) < len(runs):
        print("  some runs never started: no figure", flush=True)
        return
    total = (max(e.finished_at for e in runs) - batch.created_at).total_seconds()
    slowest = max((e.finished_at - e.started_at).total_seconds() for e in runs)
    waits = sorted((e.started_at - e.queued_at).total_seconds() for e in runs)
    quantiles = statistics.quantiles(waits, n=100, method="inclusive")
    overhead = total / slowest
    target = TARGET_FACTOR * math.ceil(GATEWAYS / CONCURRENCY)
    print(
        f"  batch start -> last run finished {total:6.2f} s; slowest run {slowest:5.2f} s",
        flush=True,
    )
    print(
        f"  {'overhead (batch / slowest run)':<44} {overhead:6.2f}x  "
        f"({verdict(overhead, target, unit='x')})",
        flush=True,
    )
    print(
        f"  {'per-run queue wait (queued -> started)':<44} p50 {quantiles[49]:6.2f} s  "
        f"p95 {quantiles[94]:6.2f} s",
        flush=True,
    )
