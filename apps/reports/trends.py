"""Trends of a playbook's (or a gateway's) runs: pass rate and duration per day, flaky steps
and the last failure with its screenshot, over the runs the user may see.

The figures come from a fixed number of queries whatever the history's size: the days are
grouped and their percentiles computed by PostgreSQL, and the flaky steps read the step rows
of the last ``FLAKY_RUNS`` runs only (docs/reports.md, "Trends and flaky steps").
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from apps.accounts.models import User
from apps.executions.models import Execution, ExecutionStatus
from apps.executions.selectors import execution_list_for_user
from apps.gateways.models import Gateway
from apps.playbooks.models import Playbook
from apps.reports.aggregates import PercentileCont, SecondsBetween
from apps.reports.flaky import FLAKY_RUNS, FlakyStep, LastFailure, flaky_steps, last_failure

WINDOWS = (7, 30, 90)
DEFAULT_WINDOW = 30
PASSED = (ExecutionStatus.COMPLETED,)
FAILED = (ExecutionStatus.FAILED, ExecutionStatus.ERROR)


@dataclass
class DayFigures:
    """The runs that ended on one day: how many passed, and how long they took."""

    day: datetime.date
    runs: int = 0
    passed: int = 0
    median_seconds: float | None = None
    p95_seconds: float | None = None

    @property
    def failed(self) -> int:
        return self.runs - self.passed

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.runs if self.runs else None


@dataclass
class Trends:
    days: int
    since: datetime.date
    buckets: list[DayFigures]
    flaky: list[FlakyStep] = field(default_factory=list)
    last_failure: LastFailure | None = None
    flaky_runs: int = FLAKY_RUNS

    @property
    def runs(self) -> int:
        return sum(bucket.runs for bucket in self.buckets)

    @property
    def passed(self) -> int:
        return sum(bucket.passed for bucket in self.buckets)

    @property
    def failed(self) -> int:
        return self.runs - self.passed

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.runs if self.runs else None


def trends_for_playbook(user: User, playbook: Playbook, days: int = DEFAULT_WINDOW) -> Trends:
    """Trends of the runs of ``playbook`` (one the user may see) over the last ``days``."""
    return _trends(execution_list_for_user(user).filter(playbook=playbook), days)


def trends_for_gateway(user: User, gateway: Gateway, days: int = DEFAULT_WINDOW) -> Trends:
    """Trends of the runs against ``gateway`` (one the user may see) over the last ``days``."""
    return _trends(execution_list_for_user(user).filter(gateway=gateway), days)


def _trends(runs: QuerySet[Execution], days: int) -> Trends:
    if days not in WINDOWS:
        raise ValueError(f"A trends window is one of {WINDOWS} days, not {days}.")
    today = timezone.localdate()
    since = today - datetime.timedelta(days=days - 1)
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    counted = (
        runs.filter(status__in=PASSED + FAILED, finished_at__gte=start)
        .select_related(None)
        .order_by()
    )
    by_day = {row["day"]: row for row in _day_rows(counted)}
    buckets = []
    for offset in range(days):
        day = since + datetime.timedelta(days=offset)
        row = by_day.get(day)
        buckets.append(DayFigures(day=day, **_figures(row)) if row else DayFigures(day=day))
    return Trends(
        days=days,
        since=since,
        buckets=buckets,
        flaky=flaky_steps(counted),
        last_failure=last_failure(counted.filter(status__in=FAILED)),
    )


def _day_rows(counted: QuerySet[Execution]):
    duration = SecondsBetween("started_at", "finished_at")
    return (
        counted.annotate(day=TruncDate("finished_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(
            runs=Count("pk"),
            passed=Count("pk", filter=Q(status__in=PASSED)),
            median_seconds=PercentileCont(duration, 0.5),
            p95_seconds=PercentileCont(duration, 0.95),
        )
        .order_by("day")
    )


def _figures(row: dict) -> dict:
    return {name: row[name] for name in ("runs", "passed", "median_seconds", "p95_seconds")}
