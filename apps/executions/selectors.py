"""Reads of executions, always scoped to what the user may see."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from apps.accounts.models import User
from apps.accounts.selectors import scope_to_user
from apps.core.database import survives_database_restart
from apps.core.errors import NotFoundError
from apps.executions.models import (
    Artifact,
    Execution,
    ExecutionEvent,
    ExecutionStatus,
    StepRun,
    StepStatus,
)

DONE_STEPS = (StepStatus.COMPLETED, StepStatus.SKIPPED)


def execution_list_for_user(user: User, *, filters: dict | None = None) -> QuerySet[Execution]:
    """Executions of the user's teams, newest first, optionally filtered by exact fields."""
    queryset = scope_to_user(
        Execution.objects.select_related("requested_by", "gateway", "playbook", "team"), user
    )
    filters = {name: value for name, value in (filters or {}).items() if value not in (None, "")}
    return queryset.filter(**filters).annotate(current_step=running_step())


def running_step() -> Coalesce:
    """The name (else the id) of the run's running top-level step; empty between steps (an
    annotation of executions)."""
    running = StepRun.objects.filter(
        execution=OuterRef("pk"), status=StepStatus.RUNNING, parent__isnull=True
    ).order_by("-position")
    label = Coalesce(NullIf("name", Value("")), "step_id")
    return Coalesce(Subquery(running.annotate(label=label).values("label")[:1]), Value(""))


def execution_status_counts(user: User, *, filters: dict | None = None) -> dict[str, int]:
    """``{status: runs}`` of the user's runs matching ``filters``, each counted up to
    ``HISTORY_COUNT_LIMIT + 1`` (more than the limit reads "limit+"), in one query.

    A count over a whole long history grows with it; each status here stops at the limit, an
    index range of the team's runs of that status (``execution_team_status``).
    """
    queryset = execution_list_for_user(user, filters=filters).select_related(None).order_by()
    limit = settings.HISTORY_COUNT_LIMIT + 1
    statuses = [value for value, _ in ExecutionStatus.choices]
    clauses, params = [], []
    for status in statuses:
        limited = queryset.filter(status=status).values("pk")[:limit]
        sql, sub_params = limited.query.get_compiler(using=limited.db).as_sql()
        clauses.append(f"(SELECT COUNT(*) FROM ({sql}) AS limited)")  # noqa: S608 - compiled ORM SQL
        params.extend(sub_params)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(clauses), params)
        row = cursor.fetchone()
    return dict(zip(statuses, row, strict=True))


def count_text(count: int) -> str:
    """``"1,234"``, or ``"10,000+"`` for a count that stopped at ``HISTORY_COUNT_LIMIT``."""
    limit = settings.HISTORY_COUNT_LIMIT
    return f"{limit:,}+" if count > limit else f"{count:,}"


def execution_step_progress(executions) -> dict:
    """``{execution id: (top-level steps done, top-level steps)}`` of the given runs, in one
    query over their own steps only (not the whole history's)."""
    rows = (
        StepRun.objects.filter(execution__in=[e.pk for e in executions], parent__isnull=True)
        .order_by()
        .values("execution_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status__in=DONE_STEPS)))
    )
    return {row["execution_id"]: (row["done"], row["total"]) for row in rows}


def execution_get_for_user(user: User, execution_id) -> Execution:
    """One execution the user may see, or ``NotFoundError``."""
    try:
        return execution_list_for_user(user).get(pk=execution_id)
    except (Execution.DoesNotExist, ValidationError):
        raise NotFoundError(f"Execution {execution_id} does not exist or is not yours.") from None


def execution_steps(execution: Execution) -> QuerySet[StepRun]:
    return execution.steps.order_by("position")


def execution_artifacts(execution: Execution) -> QuerySet[Artifact]:
    """The run's files in the order they were stored, each with its step."""
    return execution.artifacts.select_related("step_run").order_by("created_at", "pk")


def execution_events_since(execution: Execution, seq: int = 0) -> QuerySet[ExecutionEvent]:
    """Stored events after ``seq``, for a page filling a gap in what its websocket delivered."""
    return execution.events.filter(seq__gt=seq).order_by("seq")


def execution_queue_position(execution: Execution) -> int | None:
    """1 for the next run to start on its gateway, 2 after it…; ``None`` when not queued."""
    if execution.status != ExecutionStatus.QUEUED:
        return None
    waiting = Execution.objects.filter(
        status=ExecutionStatus.QUEUED, queued_at__lt=execution.queued_at
    )
    if execution.gateway_id is not None:
        waiting = waiting.filter(gateway_id=execution.gateway_id)
    return waiting.count() + 1


@survives_database_restart
def execution_step_edit(execution_id, path: str) -> dict | None:
    """The last definition given to step ``path`` from the debug panel, or ``None``."""
    payload = (
        ExecutionEvent.objects.filter(
            execution_id=execution_id,
            type="control",
            payload__command="edit_step",
            payload__path=path,
        )
        .order_by("-seq")
        .values_list("payload", flat=True)
        .first()
    )
    return payload["step"] if payload else None
