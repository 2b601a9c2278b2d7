"""Memory per concurrent browser run: the worker's processes and their Chromium, resident."""

import tempfile

import psutil
from django.db import transaction

from apps.executions.models import StepRun
from apps.executions.services.launch import execution_start
from bench.browser_overhead import PAGE, Simulator
from bench.runs import bench_actor, bench_playbook, print_load, verdict, wait_finished, wait_until
from bench.worker import BenchWorker

CONCURRENT = 4
TARGET_MB = 250
HOLD_SECONDS = 6


def run() -> None:
    print_load()
    with tempfile.TemporaryDirectory() as artifacts, Simulator() as url:
        steps = (
            "  - id: open\n    name: Open\n    type: browser.navigate\n"
            f"    parameters: {{url: '{url}{PAGE}', wait_until: load}}\n"
            "  - id: click\n    name: Click\n    type: browser.click\n"
            "    parameters: {selector: '#increment-button'}\n"
            "  - id: hold\n    name: Hold\n    type: utility.sleep\n"
            f"    parameters: {{seconds: {HOLD_SECONDS}}}\n"
        )
        playbook = bench_playbook("Bench browser memory", steps)
        print(
            f"  {CONCURRENT} browser runs at once on celery prefork -c {CONCURRENT} (the defaults: "
            "a kept Chromium per worker process, the trace on); sampled while every run holds "
            "its page open",
            flush=True,
        )
        with BenchWorker(concurrency=CONCURRENT, ARTIFACTS_ROOT=artifacts) as worker:
            root = psutil.Process(worker.process.pid)
            idle = tree_memory(root)
            executions = launch(playbook)
            wait_until(lambda: holding(executions) == CONCURRENT, timeout=120, every=0.2)
            busy = tree_memory(root)
            for execution in executions:
                wait_finished(execution.pk, timeout=120, every=0.2)
    print_memory(idle, busy)


def launch(playbook) -> list:
    user, _ = bench_actor()
    with transaction.atomic():
        return [execution_start(playbook, actor=user) for _ in range(CONCURRENT)]


def holding(executions) -> int:
    return StepRun.objects.filter(
        execution__in=executions, step_id="hold", status="running"
    ).count()


def tree_memory(root: psutil.Process) -> dict[str, float]:
    """Resident and proportional set sizes (MB) of the worker and all its descendants."""
    processes = [root, *root.children(recursive=True)]
    totals = {"processes": 0, "rss": 0.0, "pss": 0.0, "chromium_rss": 0.0}
    for process in processes:
        try:
            info = process.memory_full_info()
            chromium = "chrom" in process.name().lower()
        except psutil.Error:
            continue
        totals["processes"] += 1
        totals["rss"] += info.rss / 2**20
        totals["pss"] += info.pss / 2**20
        totals["chromium_rss"] += info.rss / 2**20 if chromium else 0
    return totals


def print_memory(idle: dict, busy: dict) -> None:
    print(
        f"  worker before the runs: {idle['processes']} processes, RSS {idle['rss']:.0f} MB, "
        f"PSS {idle['pss']:.0f} MB",
        flush=True,
    )
    print(
        f"  worker during {CONCURRENT} runs: {busy['processes']} processes, RSS "
        f"{busy['rss']:.0f} MB (Chromium's {busy['chromium_rss']:.0f} MB), PSS "
        f"{busy['pss']:.0f} MB",
        flush=True,
    )
    per_run_rss = busy["rss"] / CONCURRENT
    per_run_pss = busy["pss"] / CONCURRENT
    print(
        f"  {'memory per concurrent browser run (RSS)':<44} {per_run_rss:7.0f} MB  "
        f"({verdict(per_run_rss, TARGET_MB, unit=' MB')})",
        flush=True,
    )
    print(
        f"    PSS (shared pages split between processes): {per_run_pss:.0f} MB a run; "
        "both include the worker's main process, shared by all runs",
        flush=True,
    )
