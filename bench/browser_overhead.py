"""A 20-step browser playbook through the portal versus the same 20 actions in plain Playwright."""

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import psutil
from django.db import transaction
from django.utils import timezone

from apps.executions.frames import frame_last, viewers_add, viewers_remove
from apps.executions.models import Artifact, ExecutionEvent, StepRun
from apps.executions.services.launch import execution_start
from apps.steps.plugins.browser.config import browser_config
from bench.plain_browser import PlainBrowser
from bench.runs import bench_actor, bench_playbook, print_load, report, verdict, wait_finished
from bench.worker import REPOSITORY, BenchWorker, worker_environment

WARMUP, ROUNDS = 1, 8
TARGET_RUN_RATIO = 1.15
TARGET_STEP_RATIO = 1.05
# (BROWSER_KEEP_ALIVE, BROWSER_TRACE) of the worker: the defaults (a kept Chromium, a context
# per run, the trace on), then the trace off. The plain script keeps its Chromium too.
WORKERS = (("true", "true"), ("true", "false"))
PAGE = "/data/perspective/client/SimDemo"
OPTION = ".ia_dropdown__option[data-value='Manual']"
# (step type without "browser.", selector, value): the playbook and the plain script both
# follow this list; the texts read by get_text are checked after each run, in both.
ACTIONS = (
    ("navigate", "", ""),
    ("wait", "#increment-button", ""),
    ("click", "#increment-button", ""),
    ("click", "#increment-button", ""),
    ("verify_text", "#click-count", "Clicks: 2"),
    ("fill", "#name-field", "Ada"),
    ("get_text", "#greeting", "Hello, Ada"),
    ("click", "#pump-toggle", ""),
    ("verify_text", "#pump-state", "Pump: ON"),
    ("click", "#mode-dropdown", ""),
    ("wait", OPTION, ""),
    ("click", OPTION, ""),
    ("get_text", "#mode-state", "Mode: Manual"),
    ("fill", "#setpoint", "75"),
    ("get_text", "#setpoint", "75"),
    ("click", "#refill-button", ""),
    ("verify_text", "#gauge-value", "Level: 100%"),
    ("click", "#open-dock", ""),
    ("verify", "#nav-dock", ""),
    ("get_text", "#click-count", "Clicks: 2"),
)
PORTAL_LINES = (
    ("portal: execution_start -> finished_at", "total"),
    ("  queued -> claimed by the worker", "claim"),
    ("  in-worker span (started_at -> finished_at)", "worker"),
    ("    claimed -> first step started", "setup"),
    ("    step 1 (browser or its context, navigate)", "step0"),
    ("    steps 2-20 (19 actions)", "steps"),
    ("      of which between steps (19 gaps)", "gaps"),
    ("    last step -> finished (close, trace)", "close"),
    ("  CPU of the worker process (Python)", "cpu"),
)
PLAIN_LINES = (
    ("plain: new context -> context closed", "total"),
    ("  new context and page", "launch"),
    ("  action 1 (navigate)", "step0"),
    ("  actions 2-20 (19 actions)", "steps"),
    ("  close the context", "close"),
    ("  CPU of the script's thread (Python)", "cpu"),
)


class Simulator:
    """``manage.py run_gateway_simulator`` on a free 127.0.0.1 port, in its own process."""

    def __enter__(self) -> str:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        command = [
            sys.executable, "manage.py", "run_gateway_simulator", "--host", "127.0.0.1",
            "--port", str(port), "--version", "8.3.6", "--log-level", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command, env=worker_environment(), cwd=REPOSITORY, start_new_session=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError("The gateway simulator for the benchmark did not start.")
            time.sleep(0.05)
        return self.url

    def __exit__(self, *exc_info) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/StatusPing", timeout=1) as answer:  # noqa: S310
                return answer.status == 200
        except OSError:
            return False


def run() -> None:
    print_load()
    config = browser_config()
    print(
        f"  {len(ACTIONS)}-step browser playbook on the simulator's {PAGE} versus the same "
        f"actions in a plain sync Playwright script ({config.executable}, headless, viewport "
        f"{config.viewport}); {WARMUP} warm-up + {ROUNDS} rounds each, interleaved",
        flush=True,
    )
    with (
        tempfile.TemporaryDirectory() as artifacts,
        Simulator() as url,
        PlainBrowser(url, PAGE) as plain,
    ):
        playbook = bench_playbook("Bench browser overhead", playbook_steps(url))
        for keep_alive, trace in WORKERS:
            default = " (the defaults)" if (keep_alive, trace) == WORKERS[0] else ""
            print(
                f"  worker: celery prefork -c 1, BROWSER_KEEP_ALIVE={keep_alive}, "
                f"BROWSER_TRACE={trace}{default}, live frames on",
                flush=True,
            )
            with BenchWorker(
                concurrency=1,
                BROWSER_KEEP_ALIVE=keep_alive,
                BROWSER_TRACE=trace,
                ARTIFACTS_ROOT=artifacts,
            ) as w:
                compare(playbook, plain, psutil.Process(w.process.pid).children()[0])
    print_load()


def playbook_steps(url: str) -> str:
    lines = []
    for number, (kind, selector, value) in enumerate(ACTIONS):
        parameters = {"selector": selector}
        if kind == "navigate":
            parameters = {"url": f"{url}{PAGE}", "wait_until": "load"}
        elif kind in ("fill", "verify_text"):
            parameters["value" if kind == "fill" else "text"] = value
        lines.append(
            f"  - id: s{number}\n    name: Step {number}\n    type: browser.{kind}\n"
            f"    parameters: {json.dumps(parameters)}\n"
        )
    return "".join(lines)


def compare(playbook, plain_browser: PlainBrowser, pool: psutil.Process) -> None:
    """Portal and plain runs in turn; the worker's CPU is that of its pool process ``pool``."""
    portal, plain, framed = {}, {}, []
    for index in range(WARMUP + ROUNDS):
        portal_phases, frame = with_cpu(pool, lambda: portal_run(playbook))
        plain_phases = plain_browser.round(ACTIONS)
        if index < WARMUP:
            if portal_phases:
                first = portal_phases["step0"]
                print(f"    warm-up (not counted), the worker's first run: step 1 {first:.0f} ms")
            continue
        framed.append(frame)
        for phases, into in ((portal_phases, portal), (plain_phases, plain)):
            for name, value in (phases or {}).items():
                into.setdefault(name, []).append(value)
    print_figures(portal, plain)
    sizes = list(Artifact.objects.filter(kind="trace").values_list("size", flat=True))
    trace = f"; trace.zip p50 {statistics.median(sizes) / 1e6:.2f} MB" if sizes else ""
    events = ExecutionEvent.objects.filter(execution__playbook=playbook).count()
    print(
        f"    runs with a live frame sent: {sum(framed)} of {len(framed)}; "
        f"{events // (WARMUP + ROUNDS)} events stored per run{trace}",
        flush=True,
    )
    Artifact.objects.filter(kind="trace").delete()
    ExecutionEvent.objects.filter(execution__playbook=playbook).delete()


def with_cpu(process: psutil.Process, call):
    """``call()``, with the CPU ms of ``process`` itself added to its dict. Chromium's CPU is not
    counted: its helper processes can outlive their parent and are then never reaped by us."""
    before = process.cpu_times()
    result = call()
    after = process.cpu_times()
    phases = result[0] if isinstance(result, tuple) else result
    if phases is not None:
        phases["cpu"] = (after.user + after.system - before.user - before.system) * 1000
    return result


def portal_run(playbook) -> tuple[dict[str, float] | None, bool]:
    """One run with a viewer registered; its phases in ms (None if it did not complete)."""
    user, _ = bench_actor()
    launched = timezone.now()
    with transaction.atomic():
        execution = execution_start(playbook, actor=user)
        viewers_add(execution.pk)  # before the enqueue: frames are on from the first step
    try:
        # Polled slowly: the figures come from the row, and polling takes CPU from the worker.
        finished = wait_finished(execution.pk, timeout=180, every=0.2)
    finally:
        viewers_remove(execution.pk)
    steps = list(StepRun.objects.filter(execution=execution).order_by("position"))
    problem = portal_problem(finished, steps)
    if problem:
        print(f"    portal run {execution.pk} {problem}", flush=True)
        return None, False
    first, last = steps[0], steps[-1]
    return {
        "total": _ms(finished.finished_at - launched),
        "worker": _ms(finished.finished_at - finished.started_at),
        "claim": _ms(finished.started_at - launched),
        "setup": _ms(first.started_at - finished.started_at),
        "step0": _ms(first.finished_at - first.started_at),
        "steps": _ms(last.finished_at - first.finished_at),
        "gaps": sum(
            _ms(b.started_at - a.finished_at) for a, b in zip(steps, steps[1:], strict=False)
        ),
        "close": _ms(finished.finished_at - last.finished_at),
    }, frame_last(execution.pk) is not None


def portal_problem(execution, steps: list[StepRun]) -> str:
    """Why a run does not count: not completed (with the failed step's error), or wrong text."""
    if execution.status != "completed":
        failed = next((s for s in steps if s.status == "failed"), None)
        error = f"; step {failed.step_id} ({failed.type}): {failed.error}" if failed else ""
        return f"ended {execution.status}: {execution.status_reason}{error}"
    for step, (kind, _selector, value) in zip(steps, ACTIONS, strict=True):
        if kind == "get_text" and step.outputs.get("text") != value:
            return f"read {step.outputs.get('text')!r} at {step.step_id}, expected {value!r}"
    return ""


def print_figures(portal: dict, plain: dict) -> None:
    if len(portal.get("total", [])) < 2 or len(plain.get("total", [])) < 2:
        print("    too few completed runs to compare", flush=True)
        return
    for samples, lines in ((portal, PORTAL_LINES), (plain, PLAIN_LINES)):
        for label, key in lines:
            report(label, samples[key])
    print_ratio(portal, plain)


def print_ratio(portal: dict, plain: dict) -> None:
    """Per run (execution_start to finished_at against context to close) and per action."""
    p50 = {name: statistics.median(values) for name, values in portal.items()}
    base = {name: statistics.median(values) for name, values in plain.items()}
    for label, ratio, target in (
        ("overhead per run portal / plain (p50)", p50["total"] / base["total"], TARGET_RUN_RATIO),
        ("overhead per action, steps 2-20 (p50)", p50["steps"] / base["steps"], TARGET_STEP_RATIO),
    ):
        print(f"  {label:<44} {ratio:.2f}x  ({verdict(ratio, target, unit='x')})", flush=True)
    print(
        f"    in-worker span / plain: {p50['worker'] / base['total']:.2f}x; steps 2-20: "
        f"+{(p50['steps'] - base['steps']) / 19:.1f} ms a step over plain, "
        f"{p50['gaps'] / 19:.1f} ms of it between steps",
        flush=True,
    )


def _ms(delta) -> float:
    return delta.total_seconds() * 1000
