"""Runs on a real worker: enqueue-to-first-step latency, and cancel latency inside a step."""

import random
import time

from django.test import override_settings
from django.utils import timezone

from apps.executions.models import Execution, StepRun
from apps.executions.services.control import execution_cancel
from apps.executions.services.launch import execution_start
from bench.runs import (
    bench_actor,
    bench_playbook,
    print_load,
    report,
    wait_finished,
    wait_until,
)
from bench.worker import BenchWorker

CONCURRENCY = 2
ENQUEUE_RUNS, ENQUEUE_WARMUP = 100, 5
CANCEL_RUNS = 40
ONE_STEP = """
  - id: hello
    name: Hello
    type: utility.log
    parameters: {message: hello}
"""
SLEEP_STEP = """
  - id: nap
    name: Nap
    type: utility.sleep
    parameters: {seconds: 60}
"""
PYTHON_STEP = """
  - id: script
    name: Script
    type: utility.python
    parameters:
      script: |
        import time
        time.sleep(60)
"""


def run() -> None:
    print_load()
    print(
        f"  worker: celery prefork -c {CONCURRENCY} (ALLOW_PYTHON_STEPS=true), "
        "runs one after another",
        flush=True,
    )
    # Python steps are allowed for the benchmark's own launches and worker only.
    with (
        BenchWorker(concurrency=CONCURRENCY, ALLOW_PYTHON_STEPS="true"),
        override_settings(ALLOW_PYTHON_STEPS=True),
    ):
        enqueue_to_first_step()
        cancel_latency("utility.sleep", bench_playbook("Bench sleep", SLEEP_STEP))
        cancel_latency("utility.python", bench_playbook("Bench python", PYTHON_STEP))


def enqueue_to_first_step() -> None:
    """``queued_at`` (row created by ``execution_start``) to the first step's ``started_at``."""
    user, _ = bench_actor()
    playbook = bench_playbook("Bench one step", ONE_STEP)
    claim, start, total = [], [], []
    for index in range(ENQUEUE_WARMUP + ENQUEUE_RUNS):
        execution = execution_start(playbook, actor=user)
        finished = wait_finished(execution.pk)
        step = StepRun.objects.get(execution=execution, position=0)
        if index < ENQUEUE_WARMUP:
            continue
        claim.append(_ms(finished.started_at - finished.queued_at))
        start.append(_ms(step.started_at - finished.started_at))
        total.append(_ms(step.started_at - finished.queued_at))
    print(f"  one-step playbook, {ENQUEUE_RUNS} runs after {ENQUEUE_WARMUP} warm-up runs")
    report("queued -> claimed by the worker", claim)
    report("claimed -> first step started", start)
    report("enqueue-to-first-step", total, key="p50", target=150)


def cancel_latency(step_type: str, playbook) -> None:
    """From ``execution_cancel`` returning to the row's ``finished_at`` (status cancelled)."""
    user, _ = bench_actor()
    samples, statuses = [], {}
    for _ in range(CANCEL_RUNS):
        execution = execution_start(playbook, actor=user)
        wait_until(lambda e=execution: _step_running(e))
        time.sleep(random.uniform(0.1, 0.3))  # noqa: S311 - a point mid-step, not a secret
        execution_cancel(execution, actor=user)
        returned = timezone.now()
        finished = wait_finished(execution.pk)
        statuses[finished.status] = statuses.get(finished.status, 0) + 1
        samples.append(_ms(finished.finished_at - returned))
    report(f"cancel latency mid-{step_type}", samples, key="p99", target=500)
    print(f"    final statuses: {statuses}", flush=True)


def _step_running(execution: Execution) -> bool:
    return StepRun.objects.filter(execution=execution, position=0, status="running").exists()


def _ms(delta) -> float:
    return delta.total_seconds() * 1000
