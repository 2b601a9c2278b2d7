"""Small timing helpers: percentiles of repeated calls, and query counts."""

import statistics
import time
from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def percentiles(call: Callable[[], object], *, repeat: int = 200, warmup: int = 10) -> dict:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    quantiles = statistics.quantiles(samples, n=100)
    return {"p50": quantiles[49], "p95": quantiles[94], "p99": quantiles[98]}


def query_count(call: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def warm_query_count(call: Callable[[], object]) -> int:
    """Queries of ``call`` after a first call has filled the process's caches (roles…)."""
    call()
    return query_count(call)


def report(name: str, values: dict, *, p95_target: float | None = None) -> None:
    shown = "  ".join(f"{key} {value:.2f} ms" for key, value in values.items())
    if p95_target is not None:
        met = "met" if values["p95"] <= p95_target else "MISSED"
        shown += f"  (p95 target <= {p95_target:g} ms: {met})"
    print(f"  {name:<42} {shown}", flush=True)
