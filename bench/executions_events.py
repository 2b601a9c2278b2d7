"""Events of 20 concurrent runs: persisted and delivered per second, and step-event lag."""

import asyncio
import threading
import time
from datetime import datetime

from channels import DEFAULT_CHANNEL_LAYER
from channels.layers import channel_layers
from django.db import transaction

from apps.executions.events import EventType, execution_group
from apps.executions.models import ExecutionEvent
from apps.executions.services.launch import execution_start
from bench.runs import bench_actor, bench_playbook, print_load, report, verdict
from bench.worker import BenchWorker

RUNS = 20
STEPS = 20
# 2 is what `make worker` runs on this 2-core machine (Celery's default: one per core); 20
# runs every one of the 20 runs at the same time on those 2 cores.
CONCURRENCIES = (2, 20)
TIMEOUT_SECONDS = 180
TARGET_EVENTS_PER_SECOND = 2000
TARGET_LAG_MS = 100


class Subscriber:
    """One channel-layer channel per run, as one websocket per open run page would have.

    The channel layer lives in its own thread and event loop; ``subscribe`` joins each run's
    group before the runs are committed (and so before any of their events is sent).
    """

    def __init__(self) -> None:
        # A layer of its own: a layer's locks belong to the event loop that first used it.
        self.layer = channel_layers.make_backend(DEFAULT_CHANNEL_LAYER)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.received: list[tuple[dict, float]] = []
        self.messages = 0
        self.done = None

    def subscribe(self, execution_ids: list) -> None:
        channels = self._call(self._join(execution_ids))
        self.done = asyncio.run_coroutine_threadsafe(self._receive_all(channels), self.loop)

    def wait(self) -> None:
        self.done.result(timeout=TIMEOUT_SECONDS)
        self._call(self._close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()

    async def _close(self) -> None:
        """Let the layer's own clean-up tasks finish, then close its connections."""
        pending = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        await asyncio.gather(*pending, return_exceptions=True)
        await self.layer.close_pools()

    def _call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=30)

    async def _join(self, execution_ids: list) -> list[str]:
        channels = []
        for execution_id in execution_ids:
            channel = await self.layer.new_channel()
            await self.layer.group_add(execution_group(execution_id), channel)
            channels.append(channel)
        return channels

    async def _receive_all(self, channels: list[str]) -> None:
        await asyncio.gather(*(self._receive(channel) for channel in channels))

    async def _receive(self, channel: str) -> None:
        """Every event with its arrival time; a batch's events, as the run page's socket
        forwards them, one by one."""
        while True:
            message = await self.layer.receive(channel)
            arrived = time.time()
            events = message["events"] if "events" in message else [message["event"]]
            self.received.extend((event, arrived) for event in events)
            self.messages += 1
            if events[-1]["type"] == EventType.FINISHED:
                return


def run() -> None:
    steps = "".join(
        f"  - id: log{n}\n    name: Log {n}\n    type: utility.log\n"
        f"    parameters: {{message: 'line {n}'}}\n"
        for n in range(STEPS)
    )
    playbook = bench_playbook("Bench events", steps)
    print_load()
    print(
        f"  {RUNS} runs launched together, {STEPS} utility.log steps each, one subscribed "
        "channel per run (Redis channel layer)",
        flush=True,
    )
    for concurrency in CONCURRENCIES:
        print(f"  worker: celery prefork -c {concurrency}", flush=True)
        with BenchWorker(concurrency=concurrency):
            measure(playbook)
    print_load()


def measure(playbook) -> None:
    user, _ = bench_actor()
    subscriber = Subscriber()
    with transaction.atomic():
        executions = [execution_start(playbook, actor=user) for _ in range(RUNS)]
        subscriber.subscribe([execution.pk for execution in executions])
    subscriber.wait()
    persisted = list(
        ExecutionEvent.objects.filter(execution__in=executions).values_list("created_at", flat=True)
    )
    received = subscriber.received
    span = (max(persisted) - min(persisted)).total_seconds()
    arrivals = [at for _, at in received]
    rates = (
        ("persisted", len(persisted) / span, f"{len(persisted)} events in {span:.3f} s"),
        (
            "delivered",
            len(received) / (max(arrivals) - min(arrivals)),
            f"{len(received)} of {len(persisted)} received in {subscriber.messages} messages",
        ),
    )
    for name, rate, detail in rates:
        target = verdict(rate, TARGET_EVENTS_PER_SECOND, unit="/s", at_least=True)
        print(f"    events/s {name}: {rate:7.1f}  ({detail}; {target})", flush=True)
    # The launch's own "queued" events are stored inside the launch transaction and sent when
    # it commits, after all 20 runs exist: their lag is the launch, not the event path.
    worker_events = [(e, at) for e, at in received if e["payload"].get("status") != "queued"]
    step_events = [(e, at) for e, at in worker_events if e["type"] == EventType.STEP]
    # From the moment the engine changed the step (the started_at or finished_at it set), so
    # that any wait before the event is stored counts too.
    step_lags = [_lag(e, at, _changed_at(e)) for e, at in step_events]
    report("step-event lag (state change -> received)", step_lags, key="p99", target=TARGET_LAG_MS)
    report(
        "any worker event lag (created_at -> received)",
        [_lag(e, at, e["created_at"]) for e, at in worker_events],
    )


def _changed_at(event: dict) -> str:
    return event["payload"]["finished_at"] or event["payload"]["started_at"]


def _lag(event: dict, received_at: float, since: str) -> float:
    return (received_at - datetime.fromisoformat(since).timestamp()) * 1000
