"""Soak: 20 concurrent runs in a loop for SOAK_MINUTES (default 20) with Redis restarted every
SOAK_RESTART_MINUTES (default 4), launched through the web API; every run must end, with its
events gap-free, the worker's process count unchanged and memory flat."""

import contextlib
import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from django.db import connection
from django.db.models import Count
from rest_framework.authtoken.models import Token

from apps.executions.models import LIVE_STATUSES, Execution
from bench.runs import bench_actor, bench_playbook, print_load, wait_until
from bench.worker import worker_environment
from tests.fixtures.processes import Beat, Daphne, Worker
from tests.fixtures.servers import RedisServer, using_redis

CONCURRENT = 20
OUTAGE_SECONDS = 5
SAMPLE_SECONDS = 30
STEPS = "".join(
    f"  - id: log{n}\n    name: Log {n}\n    type: utility.log\n"
    f"    parameters: {{message: 'line {n}'}}\n"
    f"  - id: nap{n}\n    name: Nap {n}\n    type: utility.sleep\n"
    f"    parameters: {{seconds: 0.5}}\n"
    for n in range(10)
)


def run() -> None:
    minutes = float(os.environ.get("SOAK_MINUTES", "20"))
    restart_every = float(os.environ.get("SOAK_RESTART_MINUTES", "4")) * 60
    folder = Path(tempfile.mkdtemp(prefix="bench-soak-"))
    redis_server = RedisServer(folder)
    redis_server.start()
    try:
        with using_redis(redis_server.url):
            # The soak launches far more than one person would: past the per-user limit.
            env = worker_environment(REDIS_URL=redis_server.url, LAUNCH_RATE_LIMIT="6000/minute")
            print_load()
            print(
                f"  {minutes:g} min, {CONCURRENT} runs at a time (10 x utility.log + "
                f"utility.sleep 0.5 s each), Redis down {OUTAGE_SECONDS} s every "
                f"{restart_every / 60:g} min; worker -c {CONCURRENT}, web (Daphne), beat",
                flush=True,
            )
            log = folder / "processes.log"
            print(f"  processes' output: {log}", flush=True)
            Soak(env, redis_server, log).go(minutes * 60, restart_every)
            print_load()
    finally:
        redis_server.stop()


class Soak:
    def __init__(self, env: dict, redis_server: RedisServer, log: Path) -> None:
        self.env, self.redis, self.log = env, redis_server, log
        self.user, _ = bench_actor()
        self.playbook = bench_playbook("Bench soak", STEPS)
        self.token = Token.objects.get_or_create(user=self.user)[0].key
        self.launched: list[str] = []
        self.refused = 0
        self.samples: list[dict] = []

    def go(self, seconds: float, restart_every: float) -> None:
        worker = Worker(
            self.env, name="bench-soak", concurrency=CONCURRENT, options=(), log_file=self.log
        )
        web, beat = Daphne(self.env, log_file=self.log), Beat(self.env, log_file=self.log)
        try:
            self.api = httpx.Client(
                base_url=web.url, headers={"Authorization": f"Token {self.token}"}, timeout=30
            )
            processes_before = len(group_pids(worker.process.pid))
            self.loop(seconds, restart_every, web, worker)
            finished = self.drain()
            processes_after = len(group_pids(worker.process.pid))
        finally:
            for child in (beat, web, worker):
                child.terminate()
            for child in (beat, web, worker):
                child.wait_or_kill(60)
        self.summary(finished, processes_before, processes_after)

    def loop(self, seconds: float, restart_every: float, web: Daphne, worker: Worker) -> None:
        started = time.monotonic()
        next_restart, next_sample, restarts = started + restart_every, started, 0
        while time.monotonic() - started < seconds:
            self.top_up()
            now = time.monotonic()
            if now >= next_sample:
                self.sample(now - started, web, worker, restarts)
                next_sample = now + SAMPLE_SECONDS
            if now >= next_restart:
                self.redis.stop()
                time.sleep(OUTAGE_SECONDS)
                self.redis.start()
                restarts += 1
                next_restart = time.monotonic() + restart_every
            time.sleep(0.5)

    def top_up(self) -> None:
        live = Execution.objects.filter(pk__in=self.launched[-200:], status__in=LIVE_STATUSES)
        for _ in range(CONCURRENT - live.count()):
            try:
                response = self.api.post("/api/v1/executions/", json={"playbook": self.playbook.pk})
            except httpx.HTTPError:
                self.refused += 1
                continue
            if response.status_code == 201:
                self.launched.append(response.json()["id"])
            else:
                self.refused += 1

    def sample(self, elapsed: float, web: Daphne, worker: Worker, restarts: int) -> None:
        workers = group_pids(worker.process.pid)
        row = {
            "elapsed": elapsed,
            "web_mb": rss_mb(group_pids(web.process.pid)),
            "workers_mb": rss_mb(workers),
            "worker_processes": len(workers),
            "ended": Execution.objects.filter(pk__in=self.launched)
            .exclude(status__in=LIVE_STATUSES)
            .count(),
        }
        self.samples.append(row)
        print(
            f"    {elapsed / 60:5.1f} min  runs ended {row['ended']:5d}  launched "
            f"{len(self.launched):5d}  Redis restarts {restarts}  worker processes "
            f"{row['worker_processes']:3d}  RSS web {row['web_mb']:6.1f} MB  workers "
            f"{row['workers_mb']:7.1f} MB",
            flush=True,
        )

    def drain(self) -> int:
        def settled():
            live = Execution.objects.filter(pk__in=self.launched, status__in=LIVE_STATUSES)
            return not live.exists()

        with contextlib.suppress(TimeoutError):  # the summary names what did not end
            wait_until(settled, timeout=300, every=1)
        return (
            Execution.objects.filter(pk__in=self.launched).exclude(status__in=LIVE_STATUSES).count()
        )

    def summary(self, finished: int, before: int, after: int) -> None:
        statuses = dict(
            Execution.objects.filter(pk__in=self.launched)
            .values_list("status")
            .annotate(n=Count("id"))
        )
        gaps = runs_with_event_gaps(self.launched)
        print(
            f"  runs launched {len(self.launched)}, in a final state {finished}, "
            f"by status {statuses}"
        )
        print(f"  launches not accepted: {self.refused}")
        print(f"  runs whose stored events have a gap: {gaps}")
        print(f"  worker processes at start {before}, at end {after}")
        for key, label in (("web_mb", "web RSS"), ("workers_mb", "workers RSS")):
            first, last = _quarter(self.samples, key, 1), _quarter(self.samples, key, 4)
            print(
                f"  {label:<12} first quarter median {first:7.1f} MB, last quarter median "
                f"{last:7.1f} MB (ratio {last / first:.2f})"
            )


def _quarter(samples: list[dict], key: str, which: int) -> float:
    """The median of ``key`` over one quarter of the samples after the first (warm-up) one."""
    values = [row[key] for row in samples[1:]] or [samples[0][key]]
    size = max(1, len(values) // 4)
    chosen = values[:size] if which == 1 else values[-size:]
    return statistics.median(chosen)


def runs_with_event_gaps(ids: list[str]) -> int:
    """Runs whose stored events are not exactly 1..N."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT execution_id FROM executions_executionevent "
            "WHERE execution_id = ANY(%s::uuid[]) GROUP BY execution_id "
            "HAVING min(seq) <> 1 OR max(seq) <> count(*) OR count(DISTINCT seq) <> count(*)) g",
            [ids],
        )
        return cursor.fetchone()[0]


def group_pids(pgid: int) -> list[int]:
    """The processes of the process group ``pgid`` (a child started in its own session)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid:
                pids.append(int(entry.name))
    return pids


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += next(
            (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0
        )
    return total / 1024
