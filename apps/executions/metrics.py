"""Run history as Prometheus metrics, computed from the database when scraped.

Every web process answers a scrape with the same numbers, whichever process or host ran the
runs: the counters are sums over the stored rows (run statuses, step and run durations, the
events each run numbered), not values one process counted in its memory. So that deleting runs
(by hand or by retention) never makes a counter go down, which Prometheus would read as a
restart, what the removed runs contributed is added to ``MetricCarry`` in the same transaction
as the delete, and each scrape adds it back.
"""

import hashlib
import json
from collections import Counter
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, DurationField, ExpressionWrapper, F, QuerySet, Sum
from django.db.models.lookups import LessThanOrEqual
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.utils import floatToGoString

from apps.executions.models import (
    FINISHED_STATUSES,
    LIVE_STATUSES,
    Execution,
    MetricCarry,
    StepRun,
    StepStatus,
)

# Upper bounds (seconds): runs last from seconds (a REST check) to hours (a FAT suite).
RUN_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600)
STEP_BUCKETS = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)
# Label name: the field it comes from.
RUN_LABELS = {"team": "team__name", "playbook": "playbook_name"}
STEP_LABELS = {"type": "type"}
RUN_STATUS_LABELS = {**RUN_LABELS, "status": "status"}
DURATION = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())

# A sample: (metric name, ((label, value), ...) sorted by label).
Totals = Counter


def history_totals(executions: QuerySet) -> Totals:
    """The counter and histogram samples that ``executions`` (finished ones) contribute."""
    totals: Totals = Counter()
    finished = executions.filter(status__in=FINISHED_STATUSES)
    for row in finished.values(*RUN_STATUS_LABELS.values()).annotate(n=Count("pk")):
        totals[("portal_executions_finished_total", _labels(row, RUN_STATUS_LABELS))] += row["n"]
    _histogram(totals, "portal_execution_duration_seconds", finished, RUN_LABELS, RUN_BUCKETS)
    steps = StepRun.objects.filter(execution__in=finished)
    ended = steps.filter(status__in=(StepStatus.COMPLETED, StepStatus.FAILED))
    _histogram(totals, "portal_step_duration_seconds", ended, STEP_LABELS, STEP_BUCKETS)
    for row in steps.filter(status=StepStatus.FAILED).values("type").annotate(n=Count("pk")):
        totals[("portal_steps_failed_total", (("type", row["type"]),))] += row["n"]
    events = finished.aggregate(n=Sum("last_seq"))["n"] or 0
    totals[("portal_execution_events_total", ())] += events
    return totals


def _histogram(totals: Totals, name: str, rows: QuerySet, labels: dict, buckets) -> None:
    timed = rows.filter(started_at__isnull=False, finished_at__isnull=False)
    counts = {
        f"le{index}": Count("pk", filter=LessThanOrEqual(DURATION, timedelta(seconds=bound)))
        for index, bound in enumerate(buckets)
    }
    grouped = timed.values(*labels.values()).annotate(n=Count("pk"), total=Sum(DURATION), **counts)
    for row in grouped:
        key = _labels(row, labels)
        for index, bound in enumerate(buckets):
            bucket = tuple(sorted((*key, ("le", floatToGoString(bound)))))
            totals[(f"{name}_bucket", bucket)] += row[f"le{index}"]
        totals[(f"{name}_bucket", tuple(sorted((*key, ("le", "+Inf")))))] += row["n"]
        totals[(f"{name}_count", key)] += row["n"]
        totals[(f"{name}_sum", key)] += row["total"].total_seconds() if row["total"] else 0.0


def _labels(row: dict, labels: dict[str, str]) -> tuple:
    return tuple(sorted((label, str(row[field] or "")) for label, field in labels.items()))


def metrics_carry(executions: QuerySet) -> None:
    """Keep what ``executions`` added to the counters before they are deleted (call inside the
    deleting transaction)."""
    totals_carry(history_totals(executions))


def totals_carry(totals: Totals) -> None:
    """Add ``totals`` (what rows about to be deleted counted) to the carried samples."""
    # Zeros too: a histogram needs every bucket of a series, even one no run fell into.
    for (name, labels), number in totals.items():
        key = hashlib.sha256(json.dumps([name, labels]).encode()).hexdigest()
        if MetricCarry.objects.filter(key=key).update(value=F("value") + number):
            continue
        try:
            with transaction.atomic():
                MetricCarry.objects.create(key=key, name=name, labels=labels, value=number)
        except IntegrityError:  # created meanwhile by another delete
            MetricCarry.objects.filter(key=key).update(value=F("value") + number)


def carried_totals() -> Totals:
    totals: Totals = Counter()
    for name, labels, number in MetricCarry.objects.values_list("name", "labels", "value"):
        totals[(name, tuple(tuple(pair) for pair in labels))] += number
    return totals


class HistoryCollector:
    """The run history's metric families (a ``prometheus_client`` custom collector)."""

    def collect(self) -> list[Metric]:
        totals = history_totals(Execution.objects.all())
        totals.update(carried_totals())
        return [
            _live_runs(),
            _counter(totals, "portal_executions_finished", "Runs finished, by final status."),
            _histograms(totals, "portal_execution_duration_seconds", "Run durations."),
            _histograms(totals, "portal_step_duration_seconds", "Durations of finished steps."),
            _counter(totals, "portal_steps_failed", "Failed steps, by step type."),
            _counter(totals, "portal_execution_events", "Run events stored (log lines etc.)."),
        ]


def _live_runs() -> GaugeMetricFamily:
    family = GaugeMetricFamily(
        "portal_executions_live",
        "Runs queued, running or paused now.",
        labels=sorted(RUN_STATUS_LABELS),
    )
    live = Execution.objects.filter(status__in=LIVE_STATUSES)
    for row in live.values(*RUN_STATUS_LABELS.values()).annotate(n=Count("pk")):
        family.add_metric([value for _, value in _labels(row, RUN_STATUS_LABELS)], row["n"])
    return family


def _counter(totals: Totals, name: str, documentation: str) -> CounterMetricFamily:
    rows = sorted(
        (labels, number) for (sample, labels), number in totals.items() if sample == f"{name}_total"
    )
    family = CounterMetricFamily(
        name, documentation, labels=[label for label, _ in rows[0][0]] if rows else None
    )
    for labels, number in rows:
        family.add_metric([label_value for _, label_value in labels], number)
    return family


def _histograms(totals: Totals, name: str, documentation: str) -> HistogramMetricFamily:
    series: dict[tuple, dict] = {}
    for (sample, labels), number in totals.items():
        if sample == f"{name}_bucket":
            key = tuple(pair for pair in labels if pair[0] != "le")
            series.setdefault(key, {"buckets": {}, "sum": 0.0})["buckets"][dict(labels)["le"]] = (
                number
            )
        elif sample == f"{name}_sum":
            series.setdefault(labels, {"buckets": {}, "sum": 0.0})["sum"] = number
    keys = sorted(series)
    family = HistogramMetricFamily(
        name, documentation, labels=[label for label, _ in keys[0]] if keys else None
    )
    for key in keys:
        buckets = sorted(series[key]["buckets"].items(), key=lambda item: float(item[0]))
        family.add_metric([label_value for _, label_value in key], buckets, series[key]["sum"])
    return family
