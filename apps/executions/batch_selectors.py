"""Reads of batches, scoped to the user's teams, and the targets a batch may be launched at."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from apps.accounts.models import Team, User
from apps.accounts.selectors import scope_to_user
from apps.core.errors import ApplicationError, NotFoundError
from apps.executions.models import Batch, Execution
from apps.executions.selectors import running_step
from apps.gateways.models import Gateway
from apps.gateways.selectors import gateway_list_for_user


def batch_list_for_user(user: User) -> QuerySet[Batch]:
    return scope_to_user(Batch.objects.select_related("requested_by", "team", "playbook"), user)


def batch_get_for_user(user: User, batch_id) -> Batch:
    try:
        return batch_list_for_user(user).get(pk=batch_id)
    except (Batch.DoesNotExist, ValidationError):
        raise NotFoundError(f"Batch {batch_id} does not exist or is not yours.") from None


def batch_gateways_by_id(user: User, gateway_ids: list[int]) -> list[Gateway]:
    """The gateways with these ids, in that order; ``NotFoundError`` naming every id the user
    cannot see."""
    found = gateway_list_for_user(user).in_bulk(gateway_ids)
    missing = [str(pk) for pk in gateway_ids if pk not in found]
    if missing:
        raise NotFoundError(f"Gateway {', '.join(missing)} does not exist or is not yours.")
    return [found[pk] for pk in gateway_ids]


def batch_gateways_tagged(user: User, team: Team, tag: str) -> list[Gateway]:
    """The gateways of ``team`` the user sees that carry ``tag``; an error when there is none."""
    tag = tag.strip()
    if not tag:
        raise ApplicationError("The gateway tag is empty: give a tag, e.g. plant-a.")
    gateways = gateway_list_for_user(user).filter(team=team).order_by("name", "pk")
    tagged = [gateway for gateway in gateways if tag in (gateway.tags or [])]
    if not tagged:
        raise ApplicationError(f"No gateway of team {team.name} is tagged '{tag}'.")
    return tagged


@dataclass
class BatchRow:
    """One gateway of a batch: its last run and how many runs it had in the batch."""

    gateway: str
    run: Execution
    attempts: int
    current_step: str = ""

    @property
    def duration_seconds(self) -> float | None:
        if self.run.started_at is None:
            return None
        end: datetime | None = self.run.finished_at
        return (end - self.run.started_at).total_seconds() if end else None


def batch_rows(batch: Batch) -> list[BatchRow]:
    """One row per gateway, in gateway name order, with the name of its running step."""
    rows: dict = {}
    runs = (
        batch.runs.select_related("gateway", "playbook_version")
        .annotate(current_step=running_step())
        .order_by("queued_at", "pk")
    )
    for run in runs:
        key = run.gateway_id or run.pk
        attempts = rows[key].attempts + 1 if key in rows else 1
        name = run.gateway.name if run.gateway else "(deleted gateway)"
        rows[key] = BatchRow(
            gateway=name, run=run, attempts=attempts, current_step=run.current_step
        )
    return sorted(rows.values(), key=lambda row: row.gateway)


def batch_list_counts(batches) -> dict:
    """For each batch: how many gateways' last runs are in each status (one query)."""
    last: dict = {}
    runs = Execution.objects.filter(batch__in=list(batches)).order_by("queued_at", "pk")
    for batch_id, gateway_id, run_id, status in runs.values_list(
        "batch_id", "gateway_id", "pk", "status"
    ):
        last[(batch_id, gateway_id or run_id)] = status
    counts: dict = {batch.pk: {} for batch in batches}
    for (batch_id, _), status in last.items():
        counts[batch_id][status] = counts[batch_id].get(status, 0) + 1
    return counts


def batch_counts(rows: list[BatchRow]) -> dict[str, int]:
    """How many gateways' last runs are in each status."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.run.status] = counts.get(row.run.status, 0) + 1
    return counts
