"""What the execution benchmarks share: a user and team, playbooks, waiting, percentiles."""

import os
import statistics
import time
from collections.abc import Callable

from apps.accounts.models import Team, User
from apps.executions.models import FINISHED_STATUSES, Execution
from apps.playbooks.models import Playbook
from apps.playbooks.services.catalogue import playbook_import


def bench_actor() -> tuple[User, Team]:
    """A superuser and a team to own the benchmark playbooks (created once per bench DB)."""
    user = User.objects.filter(username="bench-runner").first()
    if user is None:
        user = User.objects.create_superuser("bench-runner", password=None)
    team, _ = Team.objects.get_or_create(name="Bench")
    return user, team


def bench_playbook(name: str, steps: str) -> Playbook:
    user, team = bench_actor()
    text = (
        f"name: {name}\nversion: '1.0'\ndomain: gateway\ndescription: Benchmark.\nsteps:\n{steps}"
    )
    playbook = playbook_import(team=team, actor=user, content=text).playbook
    playbook.verified = True
    playbook.save(update_fields=["verified"])
    return playbook


def wait_until(check: Callable[[], object], *, timeout: float = 60, every: float = 0.01):
    """Poll ``check`` until it returns something truthy; return that."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    raise TimeoutError(f"Not reached within {timeout} s: {check}")


def wait_finished(execution_id, *, timeout: float = 60, every: float = 0.01) -> Execution:
    def finished():
        return Execution.objects.filter(pk=execution_id, status__in=FINISHED_STATUSES).first()

    return wait_until(finished, timeout=timeout, every=every)


def summary(samples_ms: list[float]) -> dict[str, float]:
    """p50, p99 and max of millisecond samples (p99 interpolated, as statistics does)."""
    quantiles = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {"p50": quantiles[49], "p99": quantiles[98], "max": max(samples_ms)}


def verdict(value: float, target: float, *, unit: str = " ms", at_least: bool = False) -> str:
    met = value >= target if at_least else value <= target
    return f"target {'>=' if at_least else '<='} {target:g}{unit}: {'met' if met else 'MISSED'}"


def report(label: str, samples_ms: list[float], *, key: str = "", target: float = 0) -> None:
    values = summary(samples_ms)
    shown = "  ".join(f"{name} {value:7.1f} ms" for name, value in values.items())
    suffix = f"  ({key} {verdict(values[key], target)})" if key else ""
    print(f"  {label:<44} n={len(samples_ms):<4} {shown}{suffix}", flush=True)


def print_load() -> None:
    """Cores and load average: other processes on the machine change every figure here."""
    one, five, fifteen = os.getloadavg()
    print(
        f"  machine: {os.cpu_count()} cores, load average {one:.2f} / {five:.2f} / {fifteen:.2f}",
        flush=True,
    )
