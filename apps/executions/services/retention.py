"""Retention: finished runs and run files past their team's policy go, and so do the ended
batches left without runs, expired login records and tokens, and old notification deliveries.
``retention_plan`` says what would go; ``retention_apply`` removes exactly that, through the
history services (audit entries, files, the /metrics counters)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from apps.accounts.housekeeping import login_records_expired, login_records_prune
from apps.accounts.models import Team, User
from apps.accounts.services import audit_record
from apps.executions.models import (
    FINISHED_STATUSES,
    Batch,
    BatchStatus,
    Execution,
    ExecutionStatus,
    RetentionPolicy,
)
from apps.executions.services.history import execution_artifacts_remove, executions_remove
from apps.notifications.housekeeping import deliveries_expired, deliveries_prune

FAILURES = (ExecutionStatus.FAILED, ExecutionStatus.ERROR)
BATCH = 200
POLICY_FIELDS = ("run_days", "keep_last_runs", "failed_run_days", "artifact_days")


@dataclass(frozen=True)
class Policy:
    run_days: int
    keep_last_runs: int
    failed_run_days: int
    artifact_days: int


@dataclass(frozen=True)
class PlannedRun:
    id: str
    team: str
    playbook: str
    status: str
    ended_at: datetime
    reason: str


@dataclass(frozen=True)
class PlannedFiles:
    id: str
    team: str
    playbook: str
    files: int
    bytes: int


@dataclass(frozen=True)
class PlannedBatch:
    id: str
    team: str
    playbook: str
    created_at: datetime


@dataclass
class RetentionPlan:
    runs: list[PlannedRun] = field(default_factory=list)
    files: list[PlannedFiles] = field(default_factory=list)
    batches: list[PlannedBatch] = field(default_factory=list)


def retention_policy(team: Team) -> Policy:
    """The team's policy, each empty field filled from the ``RETENTION_*`` settings."""
    row = getattr(team, "retention_policy", None)
    values = {}
    for name in POLICY_FIELDS:
        own = getattr(row, name, None)
        values[name] = own if own is not None else getattr(settings, f"RETENTION_{name.upper()}")
    return Policy(**values)


def retention_plan(*, now: datetime | None = None) -> RetentionPlan:
    """What every team's policy removes now: runs, the files of runs that stay, and the ended
    batches none of whose runs stay."""
    now = now or timezone.now()
    plan = RetentionPlan()
    for team in Team.objects.select_related("retention_policy").order_by("name"):
        policy = retention_policy(team)
        runs = _expired_runs(team, policy, now)
        plan.runs += runs
        plan.files += _expired_files(team, policy, now, exclude={run.id for run in runs})
        plan.batches += _emptied_batches(team, removed={run.id for run in runs})
    return plan


def _finished(team: Team) -> QuerySet:
    return Execution.objects.filter(team=team, status__in=FINISHED_STATUSES).annotate(
        ended_at=Coalesce("finished_at", "queued_at")
    )


def _expired_runs(team: Team, policy: Policy, now: datetime) -> list[PlannedRun]:
    rules = [
        (~Q(status__in=FAILURES), policy.run_days, "ended"),
        (Q(status__in=FAILURES), policy.failed_run_days, "failed"),
    ]
    # Ranked among all the playbook's finished runs (newest 1), then filtered by age.
    ranked = _finished(team).annotate(
        newer=Window(
            RowNumber(),
            partition_by=[F("playbook_id"), F("playbook_name")],
            order_by=[F("queued_at").desc(), F("id").desc()],
        )
    )
    beyond_last = ranked.filter(newer__gt=policy.keep_last_runs).values("pk")
    planned = []
    for which, days, verb in rules:
        if not days:
            continue
        old = _finished(team).filter(which, pk__in=beyond_last)
        old = old.filter(ended_at__lt=now - timedelta(days=days))
        reason = f"{verb} more than {days} days ago"
        if policy.keep_last_runs:
            reason += f", not among its playbook's last {policy.keep_last_runs} runs"
        for row in old.values("id", "playbook_name", "status", "ended_at"):
            planned.append(
                PlannedRun(
                    str(row["id"]), team.name, row["playbook_name"], row["status"],
                    row["ended_at"], reason,
                )
            )  # fmt: skip
    return sorted(planned, key=lambda run: (run.ended_at, run.id))


def _expired_files(team: Team, policy: Policy, now: datetime, exclude: set) -> list[PlannedFiles]:
    if not policy.artifact_days:
        return []
    old = _finished(team).filter(ended_at__lt=now - timedelta(days=policy.artifact_days))
    rows = (
        old.exclude(pk__in=exclude)
        .annotate(files=Count("artifacts"), size=Sum("artifacts__size"))
        .filter(files__gt=0)
        .order_by("ended_at", "id")
        .values("id", "playbook_name", "files", "size")
    )
    return [
        PlannedFiles(str(row["id"]), team.name, row["playbook_name"], row["files"], row["size"])
        for row in rows
    ]


def _emptied_batches(team: Team, removed: set) -> list[PlannedBatch]:
    staying = Execution.objects.filter(batch=OuterRef("pk")).exclude(pk__in=removed)
    ended = Batch.objects.filter(team=team).exclude(status=BatchStatus.RUNNING)
    rows = (
        ended.filter(~Exists(staying))
        .order_by("created_at", "pk")
        .values("id", "playbook_name", "created_at")
    )
    return [
        PlannedBatch(str(row["id"]), team.name, row["playbook_name"], row["created_at"])
        for row in rows
    ]


@transaction.atomic
def _batches_remove(ids: list) -> int:
    """Delete the batches ``ids`` that ended and have no run left, an audit entry each."""
    runs = Execution.objects.filter(batch=OuterRef("pk"))
    batches = Batch.objects.select_for_update().filter(pk__in=ids)
    emptied = list(batches.exclude(status=BatchStatus.RUNNING).filter(~Exists(runs)))
    for batch in emptied:
        details = {"reason": "Retention: all its runs were removed."}
        audit_record(None, "batch.purge", target=batch, details=details)
    Batch.objects.filter(pk__in=[batch.pk for batch in emptied]).delete()
    return len(emptied)


def retention_apply(plan: RetentionPlan) -> tuple[int, int]:
    """Remove what ``plan`` lists, in batches of their own transactions (an interrupted run
    keeps what it finished); returns (runs removed, runs whose files were removed). A batch
    goes only once its runs are gone."""
    removed = emptied = 0
    by_reason = sorted(plan.runs, key=lambda run: run.reason)
    for reason, runs in groupby(by_reason, key=lambda run: run.reason):
        ids = [run.id for run in runs]
        for start in range(0, len(ids), BATCH):
            removed += executions_remove(
                ids[start : start + BATCH],
                actor=None,
                action="execution.purge",
                details={"reason": f"Retention: {reason}."},
            )
    ids = [files.id for files in plan.files]
    for start in range(0, len(ids), BATCH):
        emptied += execution_artifacts_remove(ids[start : start + BATCH], actor=None)
    ids = [batch.id for batch in plan.batches]
    for start in range(0, len(ids), BATCH):
        _batches_remove(ids[start : start + BATCH])
    return removed, emptied


def history_purge(
    *, dry_run: bool, now: datetime | None = None
) -> tuple[RetentionPlan, dict[str, int]]:
    """Apply every retention rule (or, ``dry_run``, only say what it would remove): the plan,
    and how many login records and notification deliveries of each kind went (or would go)."""
    now = now or timezone.now()
    plan = retention_plan(now=now)
    if dry_run:
        expired = {**login_records_expired(now=now), **deliveries_expired(now=now)}
        return plan, {kind: queryset.count() for kind, queryset in expired.items()}
    retention_apply(plan)
    return plan, {**login_records_prune(now=now), **deliveries_prune(now=now)}


@transaction.atomic
def retention_policy_save(policy: RetentionPolicy, *, actor: User) -> RetentionPolicy:
    """Store a team's policy (new or changed), with an audit entry of its values."""
    policy.save()
    details = {name: getattr(policy, name) for name in POLICY_FIELDS}
    audit_record(actor, "retention_policy.save", target=policy, details=details)
    return policy


@transaction.atomic
def retention_policy_delete(policy: RetentionPolicy, *, actor: User) -> None:
    """Remove a team's policy: the team follows the installation's defaults again."""
    audit_record(actor, "retention_policy.delete", target=policy)
    policy.delete()
