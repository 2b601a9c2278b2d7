"""The run history: deleting finished runs (with their files) and running one again."""

import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Sum

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.accounts.selectors import user_has_role
from apps.accounts.services import audit_record
from apps.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from apps.executions.artifact_store import artifacts_delete
from apps.executions.metrics import metrics_carry
from apps.executions.models import FINISHED_STATUSES, LIVE_STATUSES, Artifact, Execution
from apps.executions.services.launch import execution_start

logger = logging.getLogger(__name__)


@transaction.atomic
def execution_delete(executions: Iterable[Execution], *, actor: User) -> int:
    """Delete finished runs and their stored artifacts; refuse the lot if any run is live.

    Returns how many runs were deleted. Files go from the artifact store (this host's folder
    or the object store) after the transaction commits, so a rolled-back delete never loses
    them.
    """
    if not user_has_role(actor, Role.OPERATOR):
        raise PermissionDeniedError("Deleting runs needs the operator role.")
    return executions_remove([execution.pk for execution in executions], actor=actor)


@transaction.atomic
def executions_remove(
    ids: list, *, actor: User | None, action: str = "execution.delete", details: dict | None = None
) -> int:
    """Delete the finished runs ``ids``: an audit entry each, their counters kept for
    ``/metrics``, their files removed once the transaction commits. Refuses the lot if any is
    still live."""
    rows = list(Execution.objects.select_for_update().filter(pk__in=ids).order_by("queued_at"))
    live = [row for row in rows if row.status in LIVE_STATUSES]
    if live:
        names = ", ".join(f"{row.playbook_name} ({row.status})" for row in live[:5])
        more = f" and {len(live) - 5} more" if len(live) > 5 else ""
        raise ConflictError(
            f"Cannot delete runs that are still queued, running or paused: {names}{more}. "
            "Cancel them first, or wait until they end.",
            extra={"live": [str(row.pk) for row in live]},
        )
    ids = [row.pk for row in rows]
    paths = _artifact_paths(ids)
    for row in rows:
        audit_record(actor, action, target=row, details={"status": row.status, **(details or {})})
    metrics_carry(Execution.objects.filter(pk__in=ids))
    Execution.objects.filter(pk__in=ids).delete()
    transaction.on_commit(lambda: artifacts_delete(ids, paths))
    return len(rows)


@transaction.atomic
def execution_artifacts_remove(ids: list, *, actor: User | None) -> int:
    """Remove the files of the finished runs ``ids`` (their stored files and artifact rows) and
    keep the runs; an audit entry each. Returns how many runs had files removed."""
    locked = Execution.objects.select_for_update().filter(pk__in=ids, status__in=FINISHED_STATUSES)
    ids = list(locked.values_list("pk", flat=True))
    rows = Execution.objects.filter(pk__in=ids).order_by("queued_at")
    paths = _artifact_paths(ids)
    for row in rows.annotate(files=Count("artifacts"), size=Sum("artifacts__size")):
        details = {"files": row.files, "bytes": row.size or 0}
        audit_record(actor, "execution.purge_artifacts", target=row, details=details)
    Artifact.objects.filter(execution_id__in=ids).delete()
    transaction.on_commit(lambda: artifacts_delete(ids, paths))
    return len(ids)


def _artifact_paths(execution_ids: list) -> list[str]:
    artifacts = Artifact.objects.filter(execution_id__in=execution_ids)
    return list(artifacts.values_list("path", flat=True))


def execution_rerun(execution: Execution, *, actor: User) -> Execution:
    """Start the run's playbook again with the same parameters, gateway and debug mode.

    Secret parameters keep their values on the server: the new run gets them encrypted. Only
    the user who entered them may reuse them; anyone else starts the playbook afresh.
    """
    if execution.playbook is None:
        raise ApplicationError(
            f"Cannot run '{execution.playbook_name}' again: its playbook was deleted."
        )
    secrets = execution.secret_parameters_values()
    if secrets and execution.requested_by_id != actor.pk:
        entered_by = execution.requested_by.username if execution.requested_by else "its requester"
        raise ApplicationError(
            f"Cannot run '{execution.playbook_name}' again with the secret value of "
            f"{', '.join(sorted(secrets))}: only {entered_by}, who entered it, can. Start the "
            "playbook from its Run page and enter it."
        )
    return execution_start(
        execution.playbook,
        actor=actor,
        parameters=dict(execution.parameters),
        gateway=execution.gateway,
        debug=execution.debug,
        timeout_seconds=execution.timeout_seconds,
        stored_secrets=secrets,
    )
