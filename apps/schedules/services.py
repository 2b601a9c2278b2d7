"""Every write to schedules and their celery-beat entries, and the scheduled launch itself."""

import logging
from datetime import time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Team, User
from apps.accounts.roles import Role
from apps.accounts.services import audit_record
from apps.core.errors import ApplicationError, PermissionDeniedError
from apps.credentials.access import require_team_role
from apps.executions.batch_selectors import batch_gateways_tagged
from apps.executions.models import LIVE_STATUSES, Batch, BatchStatus, Execution
from apps.executions.secret_parameters import secrets_dumps
from apps.executions.services.batches import batch_start
from apps.executions.services.launch import execution_start
from apps.gateways.models import Gateway
from apps.playbooks.models import Playbook
from apps.schedules import beat, timing
from apps.schedules.models import Schedule
from apps.schedules.parameters import parameters_clean

logger = logging.getLogger(__name__)

UPDATABLE_FIELDS = (
    "name",
    "playbook",
    "gateway",
    "gateway_tag",
    "kind",
    *timing.TIMING_FIELDS,
    "time_zone",
    "parameters",
    "enabled",
    "skip_if_running",
)


class ScheduleInvalidError(ApplicationError):
    """Some fields are not valid; ``errors`` maps each field name to its problems."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        details = " ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items())
        super().__init__(f"The schedule was not saved. {details}", extra=dict(errors))
        self.errors = dict(errors)


@transaction.atomic
def schedule_create(
    *,
    playbook: Playbook,
    actor: User,
    name: str,
    kind: str,
    interval_minutes: int | None = None,
    time_of_day: time | str | None = None,
    days_of_week: list[str] | None = None,
    day_of_month: int | None = None,
    cron_expression: str = "",
    time_zone: str | None = None,
    parameters: dict[str, Any] | None = None,
    gateway: Gateway | None = None,
    gateway_tag: str = "",
    enabled: bool = True,
    skip_if_running: bool = True,
) -> Schedule:
    """Schedule ``playbook`` in its team and register it with beat; operators may."""
    arguments = dict(locals())  # the keyword arguments: no other name is bound yet
    require_scheduler(actor, playbook.team)
    schedule = Schedule(team=playbook.team, created_by=actor)
    values = {field: arguments[field] for field in UPDATABLE_FIELDS}
    values["days_of_week"] = days_of_week or []
    values["parameters"] = parameters or {}
    values["time_zone"] = time_zone or settings.TIME_ZONE
    _apply(schedule, actor=actor, values=values)
    schedule.save()
    beat.sync_periodic_task(schedule)
    audit_record(actor, "schedule.create", target=schedule, details={"playbook": playbook.path})
    return schedule


@transaction.atomic
def schedule_update(schedule: Schedule, *, actor: User, **changes: Any) -> Schedule:
    """Change some fields; the beat entry follows. Unchanged fields are checked again too."""
    require_scheduler(actor, schedule.team)
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise ApplicationError(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    current = {name: getattr(schedule, name) for name in UPDATABLE_FIELDS}
    _apply(schedule, actor=actor, values={**current, **changes})
    # Only the fields a person edits: a launch may be recording its result at the same time.
    schedule.save(update_fields=[*UPDATABLE_FIELDS, "secret_parameters", "updated_at"])
    beat.sync_periodic_task(schedule)
    audit_record(actor, "schedule.update", target=schedule, details={"fields": sorted(changes)})
    return schedule


@transaction.atomic
def schedule_set_enabled(schedule: Schedule, *, actor: User, enabled: bool) -> Schedule:
    """Switch a schedule on or off; beat stops or resumes sending it."""
    require_scheduler(actor, schedule.team)
    schedule.enabled = bool(enabled)
    schedule.save(update_fields=["enabled", "updated_at"])
    beat.sync_periodic_task(schedule)
    audit_record(actor, "schedule.enable" if enabled else "schedule.disable", target=schedule)
    return schedule


@transaction.atomic
def schedule_delete(schedule: Schedule, *, actor: User) -> None:
    """Remove a schedule and its beat entry; runs it launched stay in the history."""
    require_scheduler(actor, schedule.team)
    audit_record(actor, "schedule.delete", target=schedule)
    task = schedule.periodic_task
    schedule.delete()
    beat.remove_periodic_task(task)


def require_scheduler(actor: User, team: Team) -> None:
    """Scheduling needs the right to run playbooks in the team: operators (and admins)."""
    require_team_role(actor, team, Role.OPERATOR, what="schedule playbooks")


def schedule_launch(schedule_id: int) -> Execution | Batch | None:
    """Launch the schedule's playbook now, as its creator; return the run (the batch, for a
    gateway tag) or ``None``.

    Nothing is launched when the schedule is gone (its beat entry is removed), disabled, or
    its previous run is still queued, running or paused and it skips then
    (``last_skip_reason``). A refused launch (playbook disabled, parameters no longer valid,
    creator lost the role) is logged and kept in ``last_error``, never raised. Each trigger
    replaces both fields. The row lock makes a duplicate trigger wait and then see the run
    the first one started.
    """
    with transaction.atomic():
        schedule = (
            Schedule.objects.select_for_update(of=("self",))
            .select_related("team", "playbook", "gateway__default_credential", "created_by")
            .select_related("last_execution", "last_batch")
            .filter(pk=schedule_id)
            .first()
        )
        if schedule is None:
            _forget(schedule_id)
            return None
        if not schedule.enabled:
            logger.info("Schedule %s is disabled; nothing launched", schedule_id)
            return None
        return _launch(schedule)


def _launch(schedule: Schedule) -> Execution | Batch | None:
    now = timezone.now()
    reason = _skip_reason(schedule)
    if reason:
        logger.info("Schedule %s (%s) skipped: %s", schedule.pk, schedule.name, reason)
        _record(schedule, last_triggered_at=now, last_skip_reason=reason, last_error="")
        return None
    try:
        with transaction.atomic():
            execution = _start(schedule)
    except ApplicationError as exc:
        logger.warning("Schedule %s (%s) not launched: %s", schedule.pk, schedule.name, exc)
        _record(schedule, last_triggered_at=now, last_error=exc.message, last_skip_reason="")
        return None
    logger.info("Schedule %s (%s) launched %s", schedule.pk, schedule.name, execution)
    launched = {"last_batch": execution} if isinstance(execution, Batch) else {}
    _record(
        schedule,
        last_triggered_at=now,
        last_run_at=now,
        last_execution=execution if isinstance(execution, Execution) else None,
        **launched,
        last_error="",
        last_skip_reason="",
    )
    return execution


def _skip_reason(schedule: Schedule) -> str:
    batch = schedule.last_batch if schedule.gateway_tag else None
    if schedule.skip_if_running and batch is not None and batch.status == BatchStatus.RUNNING:
        return f"The previous batch {batch.pk} was still running; this launch was skipped."
    previous = schedule.last_execution
    if not schedule.skip_if_running or previous is None or previous.status not in LIVE_STATUSES:
        return ""
    return f"The previous run {previous.pk} was still {previous.status}; this run was skipped."


def _start(schedule: Schedule) -> Execution | Batch:
    actor = schedule.created_by
    if actor is None:
        raise ApplicationError(
            "The user who created this schedule no longer exists; create the schedule again."
        )
    try:
        require_scheduler(actor, schedule.team)
    except PermissionDeniedError as exc:
        raise ApplicationError(
            f"The schedule runs as {actor.get_username()}, who may no longer run playbooks: "
            f"{exc.message} Create the schedule again as an operator of {schedule.team}."
        ) from None
    if schedule.gateway_tag:
        return batch_start(
            schedule.playbook,
            actor=actor,
            gateways=batch_gateways_tagged(actor, schedule.team, schedule.gateway_tag),
            gateway_tag=schedule.gateway_tag,
            parameters=dict(schedule.parameters),
            stored_secrets=schedule.secret_parameters_values(),
        )
    return execution_start(
        schedule.playbook,
        actor=actor,
        parameters=dict(schedule.parameters),
        gateway=schedule.gateway,
        stored_secrets=schedule.secret_parameters_values(),
    )


def _record(schedule: Schedule, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(schedule, name, value)
    schedule.save(update_fields=list(fields))


def _forget(schedule_id: int) -> None:
    """A deleted schedule's beat entry (left by a cascade) is removed at its first trigger."""
    logger.info("Schedule %s no longer exists; removing its beat entry", schedule_id)
    beat.remove_periodic_task(beat.periodic_task_of(schedule_id))


def _apply(schedule: Schedule, *, actor: User, values: dict[str, Any]) -> None:
    problems = timing.Problems()
    name = _clean_name(values["name"], schedule=schedule, problems=problems)
    playbook, gateway = values["playbook"], values["gateway"]
    tag = str(values.get("gateway_tag") or "").strip()
    _check_targets(schedule, playbook=playbook, gateway=gateway, problems=problems)
    example = _tag_example(schedule, tag, gateway=gateway, actor=actor, problems=problems)
    timing_values = timing.timing_clean(values["kind"], values, problems)
    zone_problem = timing.time_zone_problem(values["time_zone"])
    if zone_problem:
        problems.add("time_zone", zone_problem)
    parameters, secret = {}, {}
    if not {"playbook", "gateway", "gateway_tag"} & set(problems):
        parameters, secret = parameters_clean(
            playbook,
            values["parameters"],
            gateway=gateway or example,
            actor=actor,
            owner=schedule.created_by or actor,
            problems=problems,
            stored=schedule.secret_parameters_values(),
        )
    if problems:
        raise ScheduleInvalidError(problems)
    schedule.name, schedule.playbook, schedule.gateway = name, playbook, gateway
    schedule.gateway_tag = tag
    schedule.kind, schedule.time_zone = values["kind"], values["time_zone"].strip()
    for field, value in {**timing_values, "parameters": parameters}.items():
        setattr(schedule, field, value)
    schedule.secret_parameters = secrets_dumps(secret)
    schedule.enabled = bool(values["enabled"])
    schedule.skip_if_running = bool(values["skip_if_running"])


def _clean_name(name: Any, *, schedule: Schedule, problems: timing.Problems) -> str:
    name = str(name or "").strip()
    if not name:
        problems.add("name", "A schedule needs a name.")
    elif len(name) > 100:
        problems.add("name", "A schedule's name has at most 100 characters.")
    elif Schedule.objects.filter(team=schedule.team, name=name).exclude(pk=schedule.pk).exists():
        problems.add("name", f"A schedule named {name!r} already exists in {schedule.team}.")
    return name


def _check_targets(
    schedule: Schedule, *, playbook: Playbook, gateway: Gateway | None, problems: timing.Problems
) -> None:
    if playbook.team_id != schedule.team_id:
        problems.add(
            "playbook", f"Playbook '{playbook}' belongs to another team than the schedule."
        )
    elif playbook.current_version_id is None:
        problems.add("playbook", f"Playbook '{playbook}' has no version to run.")
    if gateway is not None and gateway.team_id != schedule.team_id:
        problems.add("gateway", f"Gateway '{gateway}' belongs to another team than the playbook.")


def _tag_example(
    schedule: Schedule, tag: str, *, gateway: Gateway | None, actor: User, problems
) -> Gateway | None:
    """The first gateway with ``tag`` (its parameters are checked as the batch's will be), or
    ``None`` with the problem added: a gateway and a tag at once, or a tag no gateway has."""
    if not tag:
        return None
    if gateway is not None:
        problems.add("gateway_tag", "Give a gateway or a gateway tag, not both.")
        return None
    if len(tag) > 100:
        problems.add("gateway_tag", "A gateway tag has at most 100 characters.")
        return None
    try:
        return batch_gateways_tagged(actor, schedule.team, tag)[0]
    except ApplicationError as exc:
        problems.add("gateway_tag", exc.message)
        return None
