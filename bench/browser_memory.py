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
    """Resident and proportional set sizes (MB) of the worker and all its descendants, in all
    and by part: the worker's Python processes, Playwright's driver (node), Chromium."""
    totals = {"processes": 0, "rss": 0.0, "pss": 0.0}
    for process in [root, *root.children(recursive=True)]:
        try:
            info, name = process.memory_full_info(), process.name().lower()
        except psutil.Error:
            continue
        part = "chromium" if "chrom" in name else "driver" if name.startswith("node") else "python"
        totals["processes"] += 1
        for key, value in (("rss", info.rss), ("pss", info.pss)):
            totals[key] += value / 2**20
            totals[f"{part}_{key}"] = totals.get(f"{part}_{key}", 0.0) + value / 2**20
    return totals


def print_memory(idle: dict, busy: dict) -> None:
    for label, sizes in (("before the runs", idle), (f"during {CONCURRENT} runs", busy)):
        parts = ", ".join(
            f"{part} {sizes.get(f'{part}_rss', 0):.0f} / {sizes.get(f'{part}_pss', 0):.0f}"
            for part in ("python", "driver", "chromium")
        )
        print(
            f"  worker {label}: {sizes['processes']} processes, RSS / PSS MB: all "
            f"{sizes['rss']:.0f} / {sizes['pss']:.0f} ({parts})",
            flush=True,
        )
    for kind, note in (
        ("RSS", "each process's resident pages, shared ones counted in every process"),
        ("PSS", "shared pages split between the processes that share them"),
    ):
        per_run = busy[kind.lower()] / CONCURRENT
        print(
            f"  {f'memory per concurrent browser run ({kind})':<44} {per_run:7.0f} MB  "
            f"({verdict(per_run, TARGET_MB, unit=' MB')}); {note}",
            flush=True,
        )
    print("    both include the worker's share: its main process and its pool process", flush=True)
