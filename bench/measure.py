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


def report(name: str, values: dict) -> None:
    shown = "  ".join(f"{key} {value:.2f} ms" for key, value in values.items())
    print(f"  {name:<42} {shown}")
