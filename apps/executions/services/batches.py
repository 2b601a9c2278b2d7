"""Launching a batch (one playbook, one run per gateway) and its controls: cancel all, retry
the failed gateways. Each run goes through ``execution_start``, so its access checks,
parameter validation, secrets and gateway queue are those of any run."""

import contextlib
from typing import Any

from django.db import transaction

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.accounts.selectors import user_has_role
from apps.accounts.services import audit_record
from apps.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from apps.executions.models import Batch, BatchPolicy, BatchStatus, Execution, ExecutionStatus
from apps.executions.services.batch_dispatch import (
    RUNNING_STATUSES,
    batch_advance,
    batch_stop,
)
from apps.executions.services.control import execution_cancel
from apps.executions.services.launch import execution_start
from apps.gateways.models import Gateway
from apps.playbooks.models import Playbook

RETRIED_STATUSES = (ExecutionStatus.FAILED, ExecutionStatus.ERROR, ExecutionStatus.CANCELLED)


@transaction.atomic
def batch_start(
    playbook: Playbook,
    *,
    actor: User,
    gateways: list[Gateway],
    gateway_tag: str = "",
    parameters: dict[str, Any] | None = None,
    concurrency: int | None = None,
    policy: str = BatchPolicy.CONTINUE,
    cancel_running_on_stop: bool = False,
    debug: bool = False,
    timeout_seconds: int | None = None,
    stored_secrets: dict[str, Any] | None = None,
) -> Batch:
    """Create the batch and one queued run per gateway, all or nothing: any refusal (role,
    parameters, a gateway of another team) keeps none of them. Runs start after commit, at
    most ``concurrency`` at once (``None``: as many as the workers and gateways allow)."""
    _check_targets(playbook, actor=actor, gateways=gateways, concurrency=concurrency)
    batch = Batch.objects.create(
        team=playbook.team,
        playbook=playbook,
        playbook_name=playbook.name,
        gateway_tag=gateway_tag,
        concurrency=concurrency,
        policy=policy,
        cancel_running_on_stop=cancel_running_on_stop,
        requested_by=actor,
    )
    for gateway in gateways:
        execution_start(
            playbook,
            actor=actor,
            parameters=dict(parameters or {}),
            gateway=gateway,
            debug=debug,
            timeout_seconds=timeout_seconds,
            stored_secrets=stored_secrets,
            batch=batch,
        )
    details = {"playbook": playbook.path, "gateways": [g.name for g in gateways]}
    audit_record(actor, "batch.start", target=batch, details=details)
    transaction.on_commit(lambda: batch_advance(batch.pk))
    return batch


def _check_targets(
    playbook: Playbook, *, actor: User, gateways: list[Gateway], concurrency: int | None
) -> None:
    if not user_has_role(actor, Role.OPERATOR):
        raise PermissionDeniedError("Running playbooks needs the operator role.")
    if not gateways:
        raise ApplicationError("A batch needs at least one gateway.")
    names = [gateway.name for gateway in gateways]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ApplicationError(f"Gateway {', '.join(twice)} is given more than once.")
    others = [gateway.name for gateway in gateways if gateway.team_id != playbook.team_id]
    if others:
        raise ApplicationError(
            f"Gateway {', '.join(others)} belongs to another team than playbook '{playbook.name}'."
        )
    if concurrency is not None and concurrency < 1:
        raise ApplicationError(f"concurrency is {concurrency}: give at least 1, or none.")


def _require_operator(actor: User, what: str) -> None:
    if not user_has_role(actor, Role.OPERATOR):
        raise PermissionDeniedError(f"{what} needs the operator role.")


@transaction.atomic
def batch_cancel(batch: Batch, *, actor: User) -> Batch:
    """Cancel every run of the batch not yet ended and start no more; 409 once it ended."""
    _require_operator(actor, "Controlling batches")
    current = Batch.objects.select_for_update().get(pk=batch.pk)
    if current.status != BatchStatus.RUNNING:
        raise ConflictError(
            f"Cannot cancel: the batch already ended ({current.status}).",
            extra={"status": current.status},
        )
    batch_stop(current, f"Cancelled by {actor.username}.", cancel_running=False)
    live = Execution.objects.filter(batch=current, status__in=RUNNING_STATUSES)
    for execution in live:
        with contextlib.suppress(ConflictError):  # it ended meanwhile
            execution_cancel(execution, actor=actor)
    audit_record(actor, "batch.cancel", target=current)
    transaction.on_commit(lambda: batch_advance(current.pk))
    return current


@transaction.atomic
def batch_retry_failed(batch: Batch, *, actor: User) -> Batch:
    """Start, in the same batch, a new run for each gateway whose last run failed, ended in
    error or was cancelled, with that run's parameters; 409 while the batch runs or when
    every gateway completed."""
    _require_operator(actor, "Retrying batches")
    current = Batch.objects.select_for_update().get(pk=batch.pk)
    if current.status == BatchStatus.RUNNING:
        raise ConflictError("Cannot retry: the batch is still running; wait or cancel it.")
    last: dict[Any, Execution] = {}
    for run in current.runs.select_related("gateway", "playbook").order_by("queued_at", "pk"):
        last[run.gateway_id or run.pk] = run
    failed = [run for run in last.values() if run.status in RETRIED_STATUSES]
    if not failed:
        raise ConflictError("Nothing to retry: every gateway's last run completed.")
    current.status, current.status_reason = BatchStatus.RUNNING, ""
    current.stop_requested, current.finished_at = False, None
    current.save(update_fields=["status", "status_reason", "stop_requested", "finished_at"])
    for run in failed:
        _retry(run, batch=current, actor=actor)
    audit_record(actor, "batch.retry", target=current, details={"runs": len(failed)})
    transaction.on_commit(lambda: batch_advance(current.pk))
    return current


def _retry(run: Execution, *, batch: Batch, actor: User) -> Execution:
    if run.playbook is None or run.gateway is None:
        gone = "playbook" if run.playbook is None else "gateway"
        raise ApplicationError(f"Cannot retry run {run.pk}: its {gone} was deleted.")
    secrets = run.secret_parameters_values()
    if secrets and run.requested_by_id != actor.pk:
        raise ApplicationError(
            f"Cannot retry with the secret value of {', '.join(sorted(secrets))}: only the "
            "user who launched the batch can. Launch a new batch and enter it."
        )
    return execution_start(
        run.playbook,
        actor=actor,
        parameters=dict(run.parameters),
        gateway=run.gateway,
        debug=run.debug,
        timeout_seconds=run.timeout_seconds,
        stored_secrets=secrets,
        batch=batch,
    )
