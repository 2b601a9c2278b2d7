"""Recovery: Redis restarted mid-run (outage end -> next live event) and a worker SIGKILLed
mid-step (kill -> run marked error), on a Redis of its own and real workers and beat."""

import asyncio
import tempfile
import threading
import time
from pathlib import Path

from channels import DEFAULT_CHANNEL_LAYER
from channels.layers import channel_layers

from apps.executions.events import execution_group
from apps.executions.models import Execution
from apps.executions.services.control import execution_cancel
from apps.executions.services.launch import execution_start
from bench.runs import bench_actor, bench_playbook, print_load, report, wait_until
from bench.worker import worker_environment
from tests.fixtures.processes import Beat, Worker
from tests.fixtures.servers import RedisServer, using_redis

RESTARTS = 5
OUTAGE_SECONDS = 3
KILLS = 3
TICKS = "".join(
    f"  - id: tick{n}\n    name: Tick {n}\n    type: utility.sleep\n"
    f"    parameters: {{seconds: 0.2}}\n"
    for n in range(400)
)
NAP = "  - id: nap\n    name: Nap\n    type: utility.sleep\n    parameters: {seconds: 120}\n"


class Listener:
    """One channel in the run's group, joined again after any failure (as a page reconnects)
    and refreshed while quiet (a restarted Redis without persistence forgot the group)."""

    def __init__(self, execution_id) -> None:
        self.group = execution_group(execution_id)
        self.arrivals: list[float] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._listen()), daemon=True)
        self.thread.start()

    def first_after(self, moment: float, *, timeout: float = 60) -> float:
        """When the first event after ``moment`` arrived (waiting for it)."""

        def arrived():
            return next((at for at in self.arrivals if at > moment), None)

        return wait_until(arrived, timeout=timeout)

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=10)

    async def _listen(self) -> None:
        layer = channel_layers.make_backend(DEFAULT_CHANNEL_LAYER)
        channel = None
        while not self.stopping.is_set():
            try:
                if channel is None:
                    channel = await layer.new_channel()
                    await layer.group_add(self.group, channel)
                await asyncio.wait_for(layer.receive(channel), timeout=0.5)
                self.arrivals.append(time.time())
            except TimeoutError:
                await layer.group_add(self.group, channel)
            except Exception:  # noqa: BLE001 - Redis is away: join again once it is back
                channel = None
                await asyncio.sleep(0.05)


def run() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-recovery-"))
    redis_server = RedisServer(folder)
    redis_server.start()
    try:
        with using_redis(redis_server.url):
            env = worker_environment(REDIS_URL=redis_server.url)
            print_load()
            log = folder / "processes.log"
            print(f"  processes' output: {log}", flush=True)
            redis_restarts(redis_server, env, log)
            worker_kills(env, log)
            print_load()
    finally:
        redis_server.stop()


def redis_restarts(redis_server: RedisServer, env: dict, log: Path) -> None:
    user, _ = bench_actor()
    worker = Worker(
        env, name="bench-recovery", concurrency=2, loglevel="ERROR", options=(), log_file=log
    )
    try:
        execution = execution_start(bench_playbook("Bench recovery ticks", TICKS), actor=user)
        listener = Listener(execution.pk)
        listener.first_after(0)
        samples = []
        for _ in range(RESTARTS):
            time.sleep(2)
            redis_server.stop()
            time.sleep(OUTAGE_SECONDS)
            redis_server.start()
            back = time.time()
            samples.append((listener.first_after(back) - back) * 1000)
        listener.stop()
        alive = worker.alive()
        execution_cancel(execution, actor=user)
        wait_until(lambda: Execution.objects.get(pk=execution.pk).status == "cancelled")
    finally:
        worker.stop()
    print(
        f"  Redis stopped {OUTAGE_SECONDS} s and started again, {RESTARTS} times, during a run "
        f"(worker started as make run starts it; alive after: {alive})",
        flush=True,
    )
    report("outage end -> next live event received", samples)


def worker_kills(env: dict, log: Path) -> None:
    user, _ = bench_actor()
    playbook = bench_playbook("Bench recovery nap", NAP)
    restarted = []
    for _ in range(KILLS):
        worker = Worker(env, name="bench-killed", loglevel="ERROR", options=(), log_file=log)
        try:
            execution = execution_start(playbook, actor=user)
            _running(execution)
            killed = time.monotonic()
            worker.kill()
            worker = Worker(env, name="bench-killed", loglevel="ERROR", options=(), log_file=log)
            _ended_in_error(execution)
            restarted.append((time.monotonic() - killed) * 1000)
        finally:
            worker.stop()
    print("  worker SIGKILLed mid-step, then started again under its name (as make run does)")
    report("kill -> run marked error (restarted worker)", restarted)
    lost = Worker(env, name="bench-lost", loglevel="ERROR", options=(), log_file=log)
    execution = execution_start(playbook, actor=user)
    _running(execution)
    # Another host's worker runs the reaper's task that beat sends.
    survivor = Worker(env, name="bench-survivor", loglevel="ERROR", options=(), log_file=log)
    beat = Beat(env, log_file=log)
    try:
        killed = time.monotonic()
        lost.kill()
        reason = _ended_in_error(execution, timeout=180).status_reason
        reaped = (time.monotonic() - killed) * 1000
    finally:
        for child in (lost, survivor, beat):
            child.stop()
    print("  worker SIGKILLed, not started again, another one alive: the reaper ends the run")
    print(f"    ({reason!r})")
    print(f"  {'kill -> run marked error (reaper)':<44} n=1    {reaped:7.1f} ms", flush=True)


def _running(execution) -> None:
    wait_until(lambda: execution.steps.filter(status="running").exists(), timeout=60)


def _ended_in_error(execution, *, timeout: float = 90) -> Execution:
    return wait_until(
        lambda: Execution.objects.filter(pk=execution.pk, status="error").first(),
        timeout=timeout,
        every=0.02,
    )
